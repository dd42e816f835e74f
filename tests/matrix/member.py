"""A simulated member that is a real Matrix client (mautrix) talking to the bot's account."""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

from mautrix.client import ClientAPI
from mautrix.types import EventType

from bot.matrix.homeserver import Account, Homeserver
from bot.matrix.identity import matrix_user_number
from bot.matrix.render import CHOICES_KEY

_CHOICE = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)
_FILTER = json.dumps({"room": {"timeline": {"limit": 100}}, "presence": {"types": []}})


class MatrixMember:
    """Opens a direct room with the bot, writes, reads the bot's messages, picks choices."""

    def __init__(self, homeserver: Homeserver, account: Account, bot_user_id: str) -> None:
        self.api = ClientAPI(
            account.user_id, base_url=homeserver.base_url, token=account.access_token
        )
        self.matrix_id = account.user_id
        self.user_id = matrix_user_number(account.user_id)
        self.bot_user_id = bot_user_id
        self.room_id = ""
        self.received: list[dict[str, Any]] = []  # the bot's message contents, edits applied
        self.timeline: dict[str, list[dict[str, Any]]] = {}  # the bot's events, other rooms
        self._read_in: dict[str, int] = {}
        self._read = 0
        self._since: str | None = None
        self._bot_joined = False

    async def open_direct(self, display_name: str) -> None:
        """Set the display name, invite the bot to a direct room and wait until it joins."""
        await self.api.set_displayname(display_name)
        first = await self.api.sync(timeout=0, filter_id=_FILTER)
        self._since = first["next_batch"]
        self.room_id = str(await self.api.create_room(invitees=[self.bot_user_id], is_direct=True))
        deadline = time.monotonic() + 15
        while not self._bot_joined:
            assert time.monotonic() < deadline, "the bot did not join the direct room"
            await self._sync(1000)

    async def send(self, text: str) -> str:
        """Write ``text`` in the direct room; the event id (to edit or react to it)."""
        return str(await self.api.send_text(self.room_id, text))

    async def edit(self, event_id: str, text: str) -> None:
        """Edit an earlier message of ours the way Element does (``m.replace``)."""
        new = {"msgtype": "m.text", "body": text}
        content = {
            "msgtype": "m.text",
            "body": f"* {text}",
            "m.new_content": new,
            "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
        }
        await self.api.send_message_event(self.room_id, EventType.ROOM_MESSAGE, content)

    async def send_image(self, data: bytes, name: str = "photo.png") -> None:
        """Upload ``data`` and post it as an ``m.image``."""
        url = await self.api.upload_media(data, mime_type="image/png", filename=name)
        content = {"msgtype": "m.image", "body": name, "url": str(url)}
        await self.api.send_message_event(self.room_id, EventType.ROOM_MESSAGE, content)

    async def expect(self, fragment: str, within: float = 15.0) -> dict[str, Any]:
        """The next bot message (after the last one expected) containing ``fragment``."""
        deadline = time.monotonic() + within
        while True:
            for index in range(self._read, len(self.received)):
                if fragment in self.received[index]["body"]:
                    self._read = index + 1
                    return self.received[index]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                bodies = [m["body"] for m in self.received[self._read :]]
                raise AssertionError(f"no bot message with {fragment!r}; unread: {bodies}")
            await self._sync(int(min(remaining, 2.0) * 1000))

    def choices(self) -> dict[str, int]:
        """The numbered choices of the bot's latest message that has some, by label."""
        for message in reversed(self.received):
            count = len(message.get(CHOICES_KEY) or ())
            if count:  # the last lines: the text above may hold numbered lines too
                found = _CHOICE.findall(message["body"])[-count:]
                return {label: int(number) for number, label in found}
        return {}

    async def choose(self, label: str) -> None:
        """Answer with the number of the choice whose label contains ``label``."""
        matching = [n for text, n in self.choices().items() if label in text]
        assert len(matching) == 1, f"{label!r} among {self.choices()}"
        await self.send(str(matching[0]))

    async def react(self, event_id: str, key: str, room_id: str | None = None) -> None:
        """React to the bot's event ``event_id`` with ``key`` (an emoji)."""
        await self.api.react(room_id or self.room_id, event_id, key)

    # -- group rooms ----------------------------------------------------------------------

    async def create_group(self, name: str, invitees: list[str]) -> str:
        """A room that is not a direct chat, ``invitees`` invited; its id."""
        return str(await self.api.create_room(name=name, invitees=invitees))

    async def join(self, room_id: str) -> None:
        await self.api.join_room(room_id)

    async def send_in(self, room_id: str, text: str) -> str:
        return str(await self.api.send_text(room_id, text))

    async def vote(self, room_id: str, start_event_id: str, answers: list[str]) -> None:
        """Answer an MSC3381 poll as Element does (unstable response event)."""
        content = {
            "m.relates_to": {"rel_type": "m.reference", "event_id": start_event_id},
            "org.matrix.msc3381.poll.response": {"answers": answers},
        }
        await self.api.send_message_event(
            room_id, EventType.find("org.matrix.msc3381.poll.response"), content
        )

    async def expect_in(
        self, room_id: str, fragment: str, kind: str = "m.room.message", within: float = 15.0
    ) -> dict[str, Any]:
        """The next bot event of type ``kind`` in ``room_id`` whose content has ``fragment``."""
        deadline = time.monotonic() + within
        while True:
            events = self.timeline.get(room_id, [])
            for index in range(self._read_in.get(room_id, 0), len(events)):
                event = events[index]
                if event["type"] == kind and fragment in json.dumps(
                    event["content"], ensure_ascii=False
                ):
                    self._read_in[room_id] = index + 1
                    return event
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {kind} with {fragment!r} in {room_id}: {events}")
            await self._sync(int(min(remaining, 2.0) * 1000))

    async def close(self) -> None:
        await self.api.api.session.close()

    async def _sync(self, timeout_ms: int) -> None:
        raw = await self.api.sync(since=self._since, timeout=timeout_ms, filter_id=_FILTER)
        self._since = raw["next_batch"]
        for room_id, room in raw.get("rooms", {}).get("join", {}).items():
            for event in room.get("timeline", {}).get("events", []):
                if event.get("sender") == self.bot_user_id:
                    self._take(room_id, event)
        await asyncio.sleep(0)

    def _take(self, room_id: str, event: dict[str, Any]) -> None:
        if room_id != self.room_id:
            self.timeline.setdefault(room_id, []).append(event)
        elif event["type"] == "m.room.member" and event["content"].get("membership") == "join":
            self._bot_joined = True
        elif event["type"] == "m.room.message":
            body = event["content"]
            original = body.get("m.relates_to", {}).get("event_id", event["event_id"])
            self.received.append({**body.get("m.new_content", body), "event_id": original})
