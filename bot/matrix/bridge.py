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
from collections.abc import Awaitable, Callable
from typing import Any

from mautrix.client import ClientAPI
from mautrix.errors import MatrixRequestError

from bot.delivery import Pacer
from bot.matrix import polls, reactions
from bot.matrix.gaps import left_out, missed_events
from bot.matrix.identity import matrix_user_number
from bot.matrix.notices import notice
from bot.matrix.outbound import MatrixOutbound
from bot.matrix.replies import as_text, out_of_range, press
from bot.matrix.resume import restore_chats, restore_world, save_member
from bot.matrix.rooms import GroupRooms, invitation, room_title
from bot.matrix.state import GatewayState
from bot.sandbox import Sandbox
from bot.sandbox.actions import block, send, send_media, tap, unblock
from bot.sandbox.errors import SandboxError
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


class MatrixBridge(MatrixOutbound):
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
        self.groups = GroupRooms(self)
        self.language_of: Callable[[int], Awaitable[str | None]] | None = None
        """The language a member chose in the bot (set once the bot's services are open)."""
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
            direct = restore_world(self.sandbox, self.state)
            for user_id, room_id in direct.items():
                self.open_chat(user_id, room_id)
            reopened = await self.groups.resume(set(direct.values()))
            restore_chats(self.sandbox, self.state, reopened)
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
            rooms = raw.get("rooms", {})
            for room_id, room in rooms.get("join", {}).items():
                for event in await self._timeline(room_id, room):
                    await self._incoming(room_id, event)
            for room_id, room in rooms.get("leave", {}).items():  # the bot was removed
                for event in room.get("timeline", {}).get("events", []):
                    await self._incoming(room_id, event)
            # Only once every event of the batch is with the bot (a crash resumes the batch):
            self._since = raw["next_batch"]
            self.state.save_since(self._since)

    async def _timeline(self, room_id: str, room: dict[str, Any]) -> list[dict[str, Any]]:
        """A joined room's new events, with those a limited sync left out fetched back."""
        events: list[dict[str, Any]] = room.get("timeline", {}).get("events", [])
        if self._since is None or not left_out(room, self.user_id):
            return events
        prev_batch = room["timeline"]["prev_batch"]
        log.info("fetching the events a Matrix sync left out in %s", room_id)
        return [*await missed_events(self.api, room_id, prev_batch, self._since), *events]

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
                inviter = invited[0]
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
        if await self._relation_or_group(room_id, event):
            self.state.mark_processed(event_id)
            return
        if event.get("type") == "m.room.member":
            if self._left(room_id, sender, event):
                with contextlib.suppress(MatrixRequestError):
                    await self.api.leave_room(room_id)
            return
        if event.get("type") != "m.room.message":
            return
        user_id = await self._member(sender, room_id)
        if "m.new_content" in event.get("content", {}):
            # an edit of an earlier answer: the bot already acted on the original
            with self.state.transaction():
                self.state.mark_processed(event_id)
            await self._notice(user_id, "matrix.edit_ignored")
            return
        body = event["content"]
        kind = _MEDIA_KINDS.get(body.get("msgtype", ""))
        world = self.sandbox.world
        try:
            data = await self.api.download_media(body["url"]) if kind is not None else b""
            notice_key: tuple[str, dict[str, Any]] | None = None
            with self.state.transaction():  # the update and "passed" commit together
                if kind is not None:
                    view = send_media(world, user_id, kind, data=data, file_name=body.get("body"))
                    stored = world.files.by_id(str(view[kind]["file_id"]))
                    if stored is not None:  # kept until the bot has taken the update
                        self.state.save_file(stored, world.updates.last_update_id)
                else:
                    notice_key = self._say(user_id, str(body.get("body", "")))
                self.state.mark_processed(event_id)
                self.state.save_next_message_id(user_id, world.chat(user_id).next_message_id)
            if notice_key is not None:
                await self._notice(user_id, notice_key[0], **notice_key[1])
        except Exception:  # one bad message must not stop the bridge
            log.exception("could not pass a Matrix message from %s to the bot", sender)

    async def _relation_or_group(self, room_id: str, event: dict[str, Any]) -> bool:
        """A poll vote, a reaction, or an event of a group room: passed on here."""
        try:
            if await polls.answered(self, room_id, event):
                return True
            if await reactions.pressed(self, room_id, event):
                return True
        except SandboxError as error:
            log.warning("could not pass a Matrix relation to the bot: %s", error)
            return True
        if room_id in self.groups.chats:
            await self.groups.incoming(room_id, event)
            return True
        return False

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

    def _say(self, user_id: int, text: str) -> tuple[str, dict[str, Any]] | None:
        """A text, or the press of a numbered choice of the bot's last message.

        A number outside the choices is not passed on: the gateway's notice to send is
        returned (the bot's reply would hide the choices).
        """
        world = self.sandbox.world
        last_bot = self.last_bot_message(user_id)
        chosen = press(text, last_bot)
        count = out_of_range(text, last_bot)
        if chosen is not None:
            tap(world, user_id, chosen.message_id, chosen.data)
        elif count is not None:
            return "matrix.out_of_range", {"number": text.strip(), "last": count}
        elif text.strip():
            send(world, user_id, as_text(text))
        return None

    def last_bot_message(self, chat_id: int) -> dict[str, Any] | None:
        """The chat's latest message as members see it, if the bot wrote it (else None)."""
        last = self.sandbox.world.chat(chat_id).latest_message()
        return last.view() if last is not None and last.sender.is_bot else None

    async def _notice(self, chat_id: int, key: str, **params: Any) -> None:
        """The gateway's own word in ``chat_id``'s room, in its member's language."""
        room_id = self._rooms.get(chat_id)
        if room_id is not None:
            language = await self._language(chat_id)
            await self._send(room_id, "m.room.message", notice(language, key, **params))

    async def _language(self, user_id: int) -> str | None:
        """The member's language in the bot (``/langue``), else their Matrix account's."""
        if self.language_of is not None:
            chosen = await self.language_of(user_id)
            if chosen:
                return chosen
        user = self.sandbox.world.users.get(user_id)
        return user.language_code if user is not None else None

    async def _member(self, matrix_user_id: str, room_id: str) -> int:
        """The member's integer id; their invitation or first message opens their chat."""
        user_id = await self.user_of(matrix_user_id)
        if self._rooms.get(user_id) != room_id:
            save_member(self.state, self.sandbox, matrix_user_id, room_id)
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
        self._rooms[chat_id] = room_id
        if chat_id not in self._forwarders:
            self._forwarders[chat_id] = asyncio.create_task(
                self._forward(chat_id), name=f"matrix-forward-{chat_id}"
            )

    def message_of(self, event_id: str, room_id: str) -> tuple[int, int] | None:
        """The chat and message id of the bot's event ``event_id`` in ``room_id``, if any."""
        found = self.state.message_of(event_id)
        if found is None or self._rooms.get(found[0]) != room_id:
            return None
        return found

    def close_chat(self, chat_id: int) -> None:
        """Stop writing chat ``chat_id`` into Matrix (the bot left its room)."""
        self._rooms.pop(chat_id, None)

    async def _display_name(self, matrix_user_id: str) -> str:
        with contextlib.suppress(MatrixRequestError):
            name = await self.api.get_displayname(matrix_user_id)
            if name:
                return name
        return matrix_user_id.split(":", 1)[0].lstrip("@")
