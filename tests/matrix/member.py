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

    async def close(self) -> None:
        await self.api.api.session.close()

    async def _sync(self, timeout_ms: int) -> None:
        raw = await self.api.sync(since=self._since, timeout=timeout_ms, filter_id=_FILTER)
        self._since = raw["next_batch"]
        room = raw.get("rooms", {}).get("join", {}).get(self.room_id, {})
        for event in room.get("timeline", {}).get("events", []):
            self._take(event)
        await asyncio.sleep(0)

    def _take(self, event: dict[str, Any]) -> None:
        if event.get("sender") != self.bot_user_id:
            return
        if event["type"] == "m.room.member" and event["content"].get("membership") == "join":
            self._bot_joined = True
        elif event["type"] == "m.room.message":
            body = event["content"]
            self.received.append(body.get("m.new_content", body))
