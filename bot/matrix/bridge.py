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
from bot.matrix.gaps import left_out, missed_events
from bot.matrix.identity import matrix_user_number
from bot.matrix.render import content, replacement
from bot.matrix.replies import as_text, press
from bot.matrix.resume import restore_world, save_member, save_message
from bot.matrix.state import GatewayState
from bot.sandbox import Sandbox
from bot.sandbox.actions import block, send, send_media, tap, unblock
from bot.sandbox.chatlog import is_bot_event
from bot.sandbox.errors import BLOCKED, ApiError
from bot.sandbox.pulse import Pulse

log = logging.getLogger(__name__)

SYNC_FILTER = json.dumps(
    {
        "presence": {"types": []},
        "account_data": {"types": []},
        "room": {"ephemeral": {"types": []}, "timeline": {"limit": 100}},
    }
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
        state: GatewayState | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.state = state or GatewayState(":memory:")
        self.api = ClientAPI(user_id, base_url=homeserver_url, token=access_token)
        self.user_id = user_id
        self.pacer = Pacer(per_second, private_interval=0.0)
        self._rooms: dict[int, str] = {}
        self._forwarders: dict[int, asyncio.Task[None]] = {}
        self._sync_task: asyncio.Task[None] | None = None
        self._since: str | None = None
        self._forwarded: dict[int, int] = {}
        self._failures: dict[tuple[int, int], Exception] = {}
        self._progress = Pulse()
        self.too_many_requests = 0
        sandbox.world.relay = self._relay

    @property
    def rooms(self) -> dict[int, str]:
        """Each bridged member's direct room, by their integer user id."""
        return dict(self._rooms)

    async def start(self) -> None:
        """Resume from the state file, or (first run) skip the backlog; then follow."""
        self._since = self.state.since
        if self._since is None:
            first = await self.api.sync(timeout=0, filter_id=SYNC_FILTER)
            await self._accept_invites(first)
            self._since = first["next_batch"]
            self.state.save_since(self._since)
        else:
            self._rooms = restore_world(self.sandbox, self.state)
            for user_id in self._rooms:
                self._start_forwarder(user_id)
        self.sandbox.world.updates.journal = self.state
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
        self.sandbox.world.updates.journal = None
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
            await self._accept_invites(raw)
            for room_id, room in raw.get("rooms", {}).get("join", {}).items():
                events = room.get("timeline", {}).get("events", [])
                if self._since is not None and left_out(room, self.user_id):
                    prev_batch = room["timeline"]["prev_batch"]
                    events = [
                        *await missed_events(self.api, room_id, prev_batch, self._since),
                        *events,
                    ]
                    log.info("fetched the events a Matrix sync left out in %s", room_id)
                for event in events:
                    await self._incoming(room_id, event)
            # Only once every event of the batch is with the bot (a crash resumes the batch):
            self._since = raw["next_batch"]
            self.state.save_since(self._since)

    async def _accept_invites(self, raw: dict[str, Any]) -> None:
        """Join every room the bot is invited to; a direct room opens the inviter's chat."""
        for room_id, room in raw.get("rooms", {}).get("invite", {}).items():
            try:
                await self.api.join_room(room_id)
            except MatrixRequestError as error:
                log.warning("could not join %s: %s", room_id, error)
                continue
            inviter = _direct_inviter(room, self.user_id)
            if inviter is not None:
                user_id = await self._member(inviter, room_id)
                member = self.sandbox.world.user(user_id)
                with self.state.transaction():
                    member.started = True  # inviting the bot is Telegram's "Start"
                    if member.blocked:
                        unblock(self.sandbox.world, user_id)
                    save_member(self.state, self.sandbox, inviter, room_id)

    async def _incoming(self, room_id: str, event: dict[str, Any]) -> None:
        sender = event.get("sender", "")
        event_id = str(event.get("event_id", ""))
        if sender == self.user_id or self.state.processed(event_id):
            return
        if event.get("type") == "m.room.member":
            if self._left(room_id, sender, event):
                with contextlib.suppress(MatrixRequestError):
                    await self.api.leave_room(room_id)
            return
        if event.get("type") != "m.room.message":
            return
        if "m.relates_to" in event.get("content", {}) and "m.new_content" in event["content"]:
            return  # an edit of an earlier answer: the bot already acted on the original
        user_id = await self._member(sender, room_id)
        body = event["content"]
        kind = _MEDIA_KINDS.get(body.get("msgtype", ""))
        world = self.sandbox.world
        try:
            data = await self.api.download_media(body["url"]) if kind is not None else b""
            with self.state.transaction():  # the update and "passed" commit together
                if kind is not None:
                    view = send_media(world, user_id, kind, data=data, file_name=body.get("body"))
                    stored = world.files.by_id(str(view[kind]["file_id"]))
                    if stored is not None:  # kept until the bot has taken the update
                        self.state.save_file(stored, world.updates.last_update_id)
                else:
                    self._say(user_id, str(body.get("body", "")))
                self.state.mark_processed(event_id)
                self.state.save_next_message_id(user_id, world.chat(user_id).next_message_id)
        except Exception:  # one bad message must not stop the bridge
            log.exception("could not pass a Matrix message from %s to the bot", sender)

    def _left(self, room_id: str, sender: str, event: dict[str, Any]) -> bool:
        """A member who leaves their direct room has blocked the bot (later sends: 403)."""
        user_id = matrix_user_number(sender)
        leaves = event.get("content", {}).get("membership") in ("leave", "ban")
        if not leaves or event.get("state_key") != sender or self._rooms.get(user_id) != room_id:
            return False
        world = self.sandbox.world
        with self.state.transaction():
            if user_id in world.users and not world.user(user_id).blocked:
                block(world, user_id)
            del self._rooms[user_id]
            save_member(self.state, self.sandbox, sender, None)
            self.state.mark_processed(str(event["event_id"]))
        return True

    def _say(self, user_id: int, text: str) -> None:
        """A text, or the press of a numbered choice of the bot's last message."""
        world = self.sandbox.world
        last = world.chat(user_id).latest_message()
        last_bot = last.view() if last is not None and last.sender.is_bot else None
        chosen = press(text, last_bot)
        if chosen is not None:
            tap(world, user_id, chosen.message_id, chosen.data)
        elif text.strip():
            send(world, user_id, as_text(text))

    async def _member(self, matrix_user_id: str, room_id: str) -> int:
        """The member's integer id; their invitation or first message creates them."""
        user_id = matrix_user_number(matrix_user_id)
        if user_id not in self.sandbox.world.users:
            name = await self._display_name(matrix_user_id)
            self.sandbox.add_user(user_id, name, language_code=DEFAULT_LANGUAGE)
        if self._rooms.get(user_id) != room_id:
            self._rooms[user_id] = room_id
            save_member(self.state, self.sandbox, matrix_user_id, room_id)
        self._start_forwarder(user_id)
        return user_id

    def _start_forwarder(self, user_id: int) -> None:
        if user_id not in self._forwarders:
            self._forwarders[user_id] = asyncio.create_task(
                self._forward(user_id), name=f"matrix-forward-{user_id}"
            )

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
                elif event["kind"] == "message":  # the member's: only its place is kept
                    save_message(
                        self.state, self.sandbox, user_id, event["message"]["message_id"], None
                    )
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
        message_id = view.get("message_id", 0)
        known = self.state.event_id(user_id, message_id)
        if kind == "message":
            event_id = await self._post(user_id, room_id, view)
            save_message(self.state, self.sandbox, user_id, message_id, event_id)
        elif kind in ("edit", "markup") and known is not None:
            await self._send(room_id, "m.room.message", replacement(view, known))
            save_message(self.state, self.sandbox, user_id, message_id, known)
        elif kind == "delete" and known is not None:
            await self.pacer.acquire(user_id)
            await self.api.redact(room_id, known)
            self.state.forget_message(user_id, message_id)
        elif kind == "toast" and event.get("text"):
            await self._send(
                room_id, "m.room.message", {"msgtype": "m.notice", "body": event["text"]}
            )

    async def _post(self, user_id: int, room_id: str, view: dict[str, Any]) -> str:
        """A new message: a file is uploaded to the media repository first."""
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


def _direct_inviter(room: dict[str, Any], bot_user_id: str) -> str | None:
    """Who invited the bot into ``room`` as a direct chat (``is_direct``), if anyone."""
    for event in room.get("invite_state", {}).get("events", []):
        if (
            event.get("type") == "m.room.member"
            and event.get("state_key") == bot_user_id
            and event.get("content", {}).get("is_direct")
        ):
            return str(event["sender"])
    return None


def _retry_after(error: MatrixRequestError) -> float:
    """Seconds a ``M_LIMIT_EXCEEDED`` asks to wait (1 s if the homeserver did not say)."""
    milliseconds = getattr(error, "retry_after_ms", None)
    return float(milliseconds) / 1000 if milliseconds else 1.0
