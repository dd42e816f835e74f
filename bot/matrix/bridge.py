"""The Matrix edge of the gateway: Matrix members act on a Bot API server the bot polls.

The bot (the unchanged python-telegram-bot Application) talks to a Bot API server
(:class:`bot.sandbox.Sandbox`, rate limits off). This bridge puts the Matrix side in place
of its simulated members: each Matrix user who writes to the bot's account becomes a
member of that server under a stable integer id (:mod:`bot.matrix.identity`), their direct
room is their private chat; what they write becomes Bot API updates (a number answers the
choices of the bot's last message, see :mod:`bot.matrix.replies`), and what the bot does in
their chat (messages, edits, button changes, deletions, toasts, files) is written into their
room (:mod:`bot.matrix.render`), paced under the homeserver's ``rc_message`` ceiling.
See docs/matrix.md for why a gateway rather than native Matrix handlers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

from mautrix.client import ClientAPI
from mautrix.errors import MatrixRequestError
from mautrix.types import EventType

from bot.delivery import Pacer
from bot.matrix import polls, reactions
from bot.matrix.identity import matrix_user_number
from bot.matrix.notices import notice
from bot.matrix.render import content
from bot.matrix.replies import as_text, out_of_range, press
from bot.matrix.rooms import GroupRooms, invitation, room_title
from bot.sandbox import Sandbox
from bot.sandbox.actions import block, send, send_media, tap, unblock
from bot.sandbox.chatlog import current_messages, is_bot_event
from bot.sandbox.errors import BLOCKED, ApiError, SandboxError
from bot.sandbox.pulse import Pulse

log = logging.getLogger(__name__)

SYNC_FILTER = json.dumps(
    {"presence": {"types": []}, "account_data": {"types": []}, "room": {"ephemeral": {"types": []}}}
)
LONG_POLL_MS = 30_000
DEFAULT_LANGUAGE = "fr"
"""Matrix tells no language: Tchap's members are French; /langue switches."""
_MEDIA_KINDS = {"m.image": "photo", "m.file": "document"}
RELAYED = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "deleteMessage",
    }
)
"""Bot API methods answered only once Matrix has the event they produce."""
CONFIRM_WITHIN = 60.0


class MatrixBridge:
    """Bridges one Matrix bot account to the Bot API server the Application polls."""

    def __init__(
        self,
        sandbox: Sandbox,
        homeserver_url: str,
        user_id: str,
        access_token: str,
        *,
        per_second: int = 50,
    ) -> None:
        self.sandbox = sandbox
        self.api = ClientAPI(user_id, base_url=homeserver_url, token=access_token)
        self.user_id = user_id
        self.pacer = Pacer(per_second, private_interval=0.0)
        self._rooms: dict[int, str] = {}
        self._event_ids: dict[tuple[int, int], str] = {}
        self._forwarders: dict[int, asyncio.Task[None]] = {}
        self._sync_task: asyncio.Task[None] | None = None
        self._since: str | None = None
        self._forwarded: dict[int, int] = {}
        self._failures: dict[tuple[int, int], Exception] = {}
        self._progress = Pulse()
        self.too_many_requests = 0
        self.groups = GroupRooms(self)
        sandbox.world.relay = self._relay

    @property
    def rooms(self) -> dict[int, str]:
        """Each bridged member's direct room, by their integer user id."""
        return dict(self._rooms)

    async def start(self) -> None:
        """Skip the backlog, accept pending invitations, then follow the homeserver."""
        first = await self.api.sync(timeout=0, filter_id=SYNC_FILTER)
        self._since = first["next_batch"]
        await self._accept_invites(first)
        self._sync_task = asyncio.create_task(self._follow(), name="matrix-sync")

    async def stop(self) -> None:
        """Stop following and forwarding, and close the HTTP session."""
        tasks = [t for t in (self._sync_task, *self._forwarders.values()) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._forwarders.clear()
        self._sync_task = None
        self.sandbox.world.relay = None
        await self.api.api.session.close()

    # -- Matrix → bot --------------------------------------------------------------------

    async def _follow(self) -> None:
        while True:
            try:
                raw = await self.api.sync(
                    since=self._since, timeout=LONG_POLL_MS, filter_id=SYNC_FILTER
                )
            except (MatrixRequestError, OSError) as error:
                log.warning("Matrix sync failed (%s); retrying in 2 s", error)
                await asyncio.sleep(2)
                continue
            self._since = raw["next_batch"]
            await self._accept_invites(raw)
            rooms = raw.get("rooms", {})
            for room_id, room in [*rooms.get("join", {}).items(), *rooms.get("leave", {}).items()]:
                for event in room.get("timeline", {}).get("events", []):
                    await self._incoming(room_id, event)  # "leave": the bot was removed

    async def _accept_invites(self, raw: dict[str, Any]) -> None:
        """Join every room the bot is invited to; a direct room opens the inviter's chat."""
        for room_id, room in raw.get("rooms", {}).get("invite", {}).items():
            try:
                await self.api.join_room(room_id)
            except MatrixRequestError as error:
                log.warning("could not join %s: %s", room_id, error)
                continue
            invited = invitation(room, self.user_id)
            if invited is not None and not invited[1]:
                await self.groups.open(room_id, invited[0], room_title(room))
            elif invited is not None:
                user_id = await self._member(invited[0], room_id)
                member = self.sandbox.world.user(user_id)
                member.started = True  # inviting the bot is Telegram's "Start"
                if member.blocked:
                    unblock(self.sandbox.world, user_id)

    async def _incoming(self, room_id: str, event: dict[str, Any]) -> None:
        sender = event.get("sender", "")
        if sender == self.user_id:
            return
        try:
            if await polls.answered(self, room_id, event):
                return
            if await reactions.pressed(self, room_id, event):
                return
        except SandboxError as error:
            log.warning("could not pass a Matrix relation to the bot: %s", error)
            return
        if room_id in self.groups.chats:
            await self.groups.incoming(room_id, event)
            return
        if event.get("type") == "m.room.member":
            await self._membership(room_id, sender, event)
            return
        if event.get("type") != "m.room.message":
            return
        user_id = await self._member(sender, room_id)
        if "m.new_content" in event.get("content", {}):
            # an edit of an earlier answer: the bot already acted on the original
            await self._notice(user_id, "matrix.edit_ignored")
            return
        body = event["content"]
        kind = _MEDIA_KINDS.get(body.get("msgtype", ""))
        world = self.sandbox.world
        try:
            if kind is not None:
                data = await self.api.download_media(body["url"])
                send_media(world, user_id, kind, data=data, file_name=body.get("body"))
            else:
                await self._say(user_id, str(body.get("body", "")))
        except Exception:  # one bad message must not stop the bridge
            log.exception("could not pass a Matrix message from %s to the bot", sender)

    async def _membership(self, room_id: str, sender: str, event: dict[str, Any]) -> None:
        """A member who leaves their direct room has blocked the bot (later sends: 403)."""
        user_id = matrix_user_number(sender)
        leaves = event.get("content", {}).get("membership") in ("leave", "ban")
        if not leaves or event.get("state_key") != sender or self._rooms.get(user_id) != room_id:
            return
        world = self.sandbox.world
        if user_id in world.users and not world.user(user_id).blocked:
            block(world, user_id)
        del self._rooms[user_id]
        with contextlib.suppress(MatrixRequestError):
            await self.api.leave_room(room_id)

    async def _say(self, user_id: int, text: str) -> None:
        """A text, or the press of a numbered choice of the bot's last message."""
        world = self.sandbox.world
        messages = current_messages(world.chat(user_id).log.events)
        last = list(messages.values())[-1] if messages else None
        last_bot = last if last is not None and last["from"] == "bot" else None
        chosen = press(text, last_bot)
        count = out_of_range(text, last_bot)
        if chosen is not None:
            tap(world, user_id, chosen.message_id, chosen.data)
        elif count is not None:
            await self._notice(user_id, "matrix.out_of_range", number=text.strip(), last=count)
        elif text.strip():
            send(world, user_id, as_text(text))

    async def _notice(self, chat_id: int, key: str, **params: Any) -> None:
        """The gateway's own word in ``chat_id``'s room, in its member's language."""
        room_id = self._rooms.get(chat_id)
        user = self.sandbox.world.users.get(chat_id)
        if room_id is not None:
            language = user.language_code if user is not None else None
            await self._send(room_id, "m.room.message", notice(language, key, **params))

    async def _member(self, matrix_user_id: str, room_id: str) -> int:
        """The member's integer id; their invitation or first message opens their chat."""
        user_id = await self.user_of(matrix_user_id)
        self.open_chat(user_id, room_id)
        return user_id

    async def user_of(self, matrix_user_id: str) -> int:
        """The integer id of a Matrix user, created on the Bot API side when first seen."""
        user_id = matrix_user_number(matrix_user_id)
        if user_id not in self.sandbox.world.users:
            name = await self._display_name(matrix_user_id)
            self.sandbox.add_user(user_id, name, language_code=DEFAULT_LANGUAGE)
        return user_id

    def open_chat(self, chat_id: int, room_id: str) -> None:
        """Bridge chat ``chat_id`` (private or group) to ``room_id``, both ways."""
        if self._rooms.get(chat_id) != room_id:
            self._rooms[chat_id] = room_id
        if chat_id not in self._forwarders:
            self._forwarders[chat_id] = asyncio.create_task(
                self._forward(chat_id), name=f"matrix-forward-{chat_id}"
            )

    def message_of(self, event_id: str, room_id: str) -> tuple[int, int] | None:
        """The chat and message id of the bot's event ``event_id`` in ``room_id``, if any."""
        for (chat_id, message_id), known in self._event_ids.items():
            if known == event_id:
                return (chat_id, message_id) if self._rooms.get(chat_id) == room_id else None
        return None

    def close_chat(self, chat_id: int) -> None:
        """Stop writing chat ``chat_id`` into Matrix (the bot left its room)."""
        self._rooms.pop(chat_id, None)

    async def _display_name(self, matrix_user_id: str) -> str:
        with contextlib.suppress(MatrixRequestError):
            name = await self.api.get_displayname(matrix_user_id)
            if name:
                return name
        return matrix_user_id.split(":", 1)[0].lstrip("@")

    # -- bot → Matrix --------------------------------------------------------------------

    async def _forward(self, user_id: int) -> None:
        """Write into the member's room, in order, everything the bot does in their chat."""
        chat_log = self.sandbox.world.chat(user_id).log
        done = 0
        while True:
            await chat_log.wait_beyond(done, 30.0)
            while done < len(chat_log.events):
                event = chat_log.events[done]
                done += 1
                if is_bot_event(event):
                    try:
                        await self._out(user_id, event)
                    except Exception as error:  # the next messages still go out
                        log.exception("could not write a bot event into Matrix")
                        self._failures[(user_id, done)] = error
                self._forwarded[user_id] = done
                self._progress.fire()

    async def _relay(self, method: str, raw: dict[str, str]) -> None:
        """Answer a send only once it is in Matrix: the engine's exactly-once holds."""
        chat = raw.get("chat_id", "")
        if method not in RELAYED or not chat.lstrip("-").isdigit():
            return
        chat_id = int(chat)
        if chat_id not in self._rooms:
            return
        target = len(self.sandbox.world.chat(chat_id).log.events)
        deadline = time.monotonic() + CONFIRM_WITHIN
        while self._forwarded.get(chat_id, 0) < target:
            if not await self._progress.wait(deadline - time.monotonic()):
                raise ApiError(502, "Bad Gateway: Matrix did not confirm the message in time")
        failure = self._failures.pop((chat_id, target), None)
        if isinstance(failure, MatrixRequestError) and failure.http_status == 403:
            raise ApiError(403, BLOCKED)
        if failure is not None:
            raise ApiError(400, f"Bad Request: Matrix refused the message: {failure}")

    async def _out(self, user_id: int, event: dict[str, Any]) -> None:
        room_id = self._rooms.get(user_id)
        if room_id is None:
            return  # the member left their room: the Bot API side answered 403 already
        kind, view = event["kind"], event.get("message") or {}
        known = self._event_ids.get((user_id, view.get("message_id", 0)))
        if kind == "message":
            event_id = await self._post(user_id, room_id, view)
            self._event_ids[(user_id, view["message_id"])] = event_id
        elif kind in ("edit", "markup") and known is not None:
            edited = polls.edit(view, known)
            if edited is not None:
                await self._send(room_id, *edited)
        elif kind == "delete" and known is not None:
            await self.pacer.acquire(user_id)
            await self.api.redact(room_id, known)
        elif kind == "toast" and event.get("text"):
            await self._send(
                room_id, "m.room.message", {"msgtype": "m.notice", "body": event["text"]}
            )

    async def _post(self, user_id: int, room_id: str, view: dict[str, Any]) -> str:
        """A new message: a file is uploaded to the media repository first."""
        if "poll" in view:
            return await self._send(room_id, polls.POLL_START, polls.start(view))
        stored = None
        kind = view.get("kind", "text")
        if kind in ("document", "photo"):
            stored = self.sandbox.world.files.by_id(view[kind]["file_id"])
        body = content(view)
        if stored is not None:
            name = stored.file_name or ("image.png" if kind == "photo" else "document")
            mime = stored.mime_type or "application/octet-stream"
            url = await self.api.upload_media(stored.data, mime_type=mime, filename=name)
            body.update(
                msgtype="m.image" if kind == "photo" else "m.file",
                url=str(url),
                filename=name,
                info={"mimetype": mime, "size": len(stored.data)},
            )
            if not view.get("text"):
                body["body"] = name
        return await self._send(room_id, "m.room.message", body)

    async def _send(self, room_id: str, event_type: str, body: dict[str, Any]) -> str:
        """Send one event under the pacer; a 429 pauses every send for its ``retry_after``."""
        while True:
            await self.pacer.acquire(0)
            try:
                return str(
                    await self.api.send_message_event(room_id, EventType.find(event_type), body)
                )
            except MatrixRequestError as error:
                if error.http_status != 429:
                    raise
                self.too_many_requests += 1
                self.pacer.pause(_retry_after(error))


def _retry_after(error: MatrixRequestError) -> float:
    """Seconds a ``M_LIMIT_EXCEEDED`` asks to wait (1 s if the homeserver did not say)."""
    milliseconds = getattr(error, "retry_after_ms", None)
    return float(milliseconds) / 1000 if milliseconds else 1.0
