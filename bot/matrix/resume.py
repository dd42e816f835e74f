"""Between the gateway's world (the Bot API server in memory) and its state file.

:func:`restore_world` puts the saved members, chats, messages and unconfirmed updates back
into a fresh world on start; :func:`save_member` and :func:`save_message` write what the
bridge changes as it goes.
"""

from __future__ import annotations

import time

from bot.matrix.identity import matrix_user_number
from bot.matrix.state import GatewayState, SavedMember
from bot.sandbox import Sandbox
from bot.sandbox.model import Member
from bot.sandbox.restore import (
    message_record,
    restore_member,
    restore_message,
    restore_next_message_id,
    restore_updates,
)


def restore_world(sandbox: Sandbox, state: GatewayState) -> dict[int, str]:
    """Put the saved world back; the members' direct rooms, by user id.

    Group rooms are not saved: :meth:`GroupRooms.resume` reopens them from the rooms the
    bot is in, then :func:`restore_chats` puts their messages back.
    """
    world = sandbox.world
    # Callback and poll ids go on from the clock in milliseconds: never one already given
    # before the restart (far fewer than one id per millisecond are ever drawn).
    world.continue_ids(int(time.time() * 1000))
    rooms: dict[int, str] = {}
    for saved in state.members():
        member = Member(
            saved.user_id,
            saved.name,
            language_code=saved.language,
            started=saved.started,
            blocked=saved.blocked,
        )
        restore_member(world, member)
        if saved.room_id is not None:
            rooms[saved.user_id] = saved.room_id
    restore_chats(sandbox, state, set(world.chats))
    for stored in state.files():
        world.files.restore(stored)
    pending, next_update_id = state.pending_updates()
    restore_updates(world, pending, next_update_id)
    return rooms


def restore_chats(sandbox: Sandbox, state: GatewayState, chat_ids: set[int]) -> None:
    """Put back the next message id and the kept messages of the chats ``chat_ids``."""
    world = sandbox.world
    for chat_id, next_id in state.next_message_ids().items():
        if chat_id in chat_ids and chat_id in world.chats:
            restore_next_message_id(world, chat_id, next_id)
    for message in state.messages():
        if message.chat_id in chat_ids and message.chat_id in world.chats:
            restore_message(world, message.chat_id, message.message_id, message.record)


def save_member(state: GatewayState, sandbox: Sandbox, matrix_id: str, room: str | None) -> None:
    """Write a bridged member's current state (name, language, started, blocked, room)."""
    member = sandbox.world.user(matrix_user_number(matrix_id))
    state.save_member(
        SavedMember(
            member.id,
            matrix_id,
            room,
            member.first_name,
            member.language_code,
            member.started,
            member.blocked,
        )
    )


def save_message(
    state: GatewayState, sandbox: Sandbox, chat_id: int, message_id: int, event_id: str | None
) -> None:
    """Write a message's place and (the bot's) content, with its Matrix event id."""
    message = sandbox.world.chat(chat_id).messages.get(message_id)
    if message is None or message.deleted:
        state.forget_message(chat_id, message_id)
        state.save_next_message_id(chat_id, message_id + 1)
        return
    state.save_message(chat_id, message_id, event_id, message_record(message))
