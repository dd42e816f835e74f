"""Matrix rooms that are not direct chats: group chats of the Bot API server.

A room the bot is invited into without ``is_direct`` (the network's group, a co-development
group) becomes a basic group of the Bot API server under a stable negative id derived from
the room id (:func:`group_chat_id`, in the Matrix range of :mod:`bot.transports`). Its
Matrix members are the group's members, kept in step with joins and departures; the bot
hears what Telegram's privacy mode lets it hear (commands, mentions), as the sandbox already
decides; a numbered reply presses a choice of the bot's last message in the room. The bot
being kicked out of the room is the ``my_chat_member`` "kicked" update.
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

from mautrix.errors import MatrixRequestError
from mautrix.types import EventType

from bot.matrix.identity import matrix_user_number
from bot.matrix.polls import numbered_vote
from bot.matrix.replies import as_text, press
from bot.sandbox.actions import answer_poll, send, tap
from bot.sandbox.errors import SandboxError
from bot.transports import MATRIX_ID_BASE

if TYPE_CHECKING:
    from bot.matrix.bridge import MatrixBridge

log = logging.getLogger(__name__)
DEFAULT_TITLE = "Matrix"


def group_chat_id(room_id: str) -> int:
    """The stable negative chat id of a Matrix group room (``!opaque:server``)."""
    digest = hashlib.sha256(room_id.encode("utf-8")).digest()
    return -(MATRIX_ID_BASE + (int.from_bytes(digest[:8], "big") % MATRIX_ID_BASE))


def invitation(room: dict[str, Any], bot_user_id: str) -> tuple[str, bool] | None:
    """Who invited the bot into ``room`` and whether as a direct chat (``is_direct``)."""
    for event in room.get("invite_state", {}).get("events", []):
        if event.get("type") == "m.room.member" and event.get("state_key") == bot_user_id:
            return str(event["sender"]), bool(event.get("content", {}).get("is_direct"))
    return None


def room_title(room: dict[str, Any]) -> str:
    """The room's name from its invitation's stripped state (else a neutral title)."""
    for event in room.get("invite_state", {}).get("events", []):
        if event.get("type") == "m.room.name" and event.get("content", {}).get("name"):
            return str(event["content"]["name"])
    return DEFAULT_TITLE


class GroupRooms:
    """The bridge's group rooms: which Matrix room is which group chat, and what they do."""

    def __init__(self, bridge: MatrixBridge) -> None:
        self.bridge = bridge
        self.chats: dict[str, int] = {}

    async def resume(self, direct_rooms: set[str]) -> set[int]:
        """After a restart: reopen the group chat of every other room the bot is in."""
        reopened: set[int] = set()
        for room in await self.bridge.api.get_joined_rooms():
            room_id = str(room)
            if room_id in direct_rooms:
                continue
            try:
                name = await self.bridge.api.get_state_event(room_id, EventType.ROOM_NAME)
                title = str(getattr(name, "name", "") or DEFAULT_TITLE)
            except MatrixRequestError:
                title = DEFAULT_TITLE
            reopened.add(await self.open(room_id, None, title, announce=False))
        return reopened

    async def open(
        self, room_id: str, inviter: str | None, title: str, *, announce: bool = True
    ) -> int:
        """The bot joined ``room_id``: its group chat, with the room's members in it.

        ``announce``: the bot is told it was added (not when a restart reopens the room).
        """
        bridge = self.bridge
        joined = await bridge.api.get_joined_members(room_id)
        others = sorted(str(u) for u in joined if u not in (inviter, bridge.user_id))
        people = [inviter, *others] if inviter is not None else others
        ids = [await bridge.user_of(person) for person in people]
        chat_id = group_chat_id(room_id)
        world = bridge.sandbox.world
        chat = world.chats.get(chat_id)
        if chat is None:
            world.add_group(chat_id, title, ids, bot_member=announce).bot_status = "member"
        elif chat.bot_status != "member":
            chat.member_ids = ids
            world.chat_member_update(chat, world.user(ids[0]), chat.bot_status, "member")
            chat.bot_status = "member"
        self.chats[room_id] = chat_id
        bridge.open_chat(chat_id, room_id)
        return chat_id

    async def incoming(self, room_id: str, event: dict[str, Any]) -> None:
        """A member's event in a group room: membership changes, texts, numbered replies."""
        chat_id = self.chats[room_id]
        kind = event.get("type")
        try:
            if kind == "m.room.member":
                await self._membership(room_id, chat_id, event)
            elif kind == "m.room.message" and "m.new_content" not in event.get("content", {}):
                await self._message(chat_id, event)
        except SandboxError as error:
            log.warning("group room %s: %s", room_id, error)

    async def _membership(self, room_id: str, chat_id: int, event: dict[str, Any]) -> None:
        membership = event.get("content", {}).get("membership")
        subject = str(event.get("state_key", ""))
        chat = self.bridge.sandbox.world.chat(chat_id)
        if subject == self.bridge.user_id:
            if membership in ("leave", "ban"):
                self._bot_removed(room_id, chat_id, event)
            return
        user_id = await self.bridge.user_of(subject)
        if membership == "join" and user_id not in chat.member_ids:
            chat.member_ids.append(user_id)
        elif membership in ("leave", "ban") and user_id in chat.member_ids:
            chat.member_ids.remove(user_id)

    def _bot_removed(self, room_id: str, chat_id: int, event: dict[str, Any]) -> None:
        """Kicked or banned from the room: the bot's ``my_chat_member`` says so."""
        world = self.bridge.sandbox.world
        chat = world.chat(chat_id)
        actor = world.users.get(matrix_user_number(str(event.get("sender", ""))))
        new = "kicked" if event["content"]["membership"] == "ban" else "left"
        if actor is not None and chat.bot_status == "member":
            world.chat_member_update(chat, actor, "member", new)
        chat.bot_status = new
        self.chats.pop(room_id, None)
        self.bridge.close_chat(chat_id)

    async def _message(self, chat_id: int, event: dict[str, Any]) -> None:
        text = str(event.get("content", {}).get("body", ""))
        user_id = await self.bridge.user_of(str(event["sender"]))
        world = self.bridge.sandbox.world
        last_bot = self.bridge.last_bot_message(chat_id)
        chosen = press(text, last_bot)
        vote = numbered_vote(text, last_bot)
        if chosen is not None:
            tap(world, user_id, chosen.message_id, chosen.data, chat_id=chat_id)
        elif vote is not None:
            answer_poll(world, user_id, *vote)
        elif text.strip():
            send(world, user_id, as_text(text), chat_id=chat_id)
