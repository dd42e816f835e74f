"""Putting a world back after a restart: members, message ids, and the messages still in use.

The sandbox keeps its world in memory. A gateway that serves real members (the Matrix
gateway) saves what the bot may still refer to (each chat's next message id, its recent
messages, their buttons) and calls these functions on start, before the bot polls again.
A member's own message is restored without its content (only its place in the chat).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.sandbox.model import Member, Message, Poll
from bot.sandbox.world import CallbackQuery, World

Record = dict[str, Any]


def message_record(message: Message) -> Record:
    """What is needed to rebuild ``message``: the bot's content, or a member's bare place."""
    if not message.sender.is_bot:
        return {"from": message.sender.id, "date": message.date}
    return {
        "from": "bot",
        "date": message.date,
        "kind": message.kind,
        "raw": message.raw,
        "text": message.text,
        "entities": message.entities,
        "reply_markup": message.reply_markup,
        "media": message.media,
        "edit_date": message.edit_date,
        "poll": dataclasses.asdict(message.poll) if message.poll is not None else None,
    }


def restore_member(world: World, member: Member) -> None:
    """Bring back a member (and their private chat) with their started/blocked state."""
    if member.id not in world.users:
        world.add_user(member)


def restore_message(world: World, chat_id: int, message_id: int, record: Record) -> Message:
    """Put message ``message_id`` back into ``chat_id``; later ids continue after it."""
    chat = world.chat(chat_id)
    sender = world.bot if record["from"] == "bot" else world.user(int(record["from"]))
    message = Message(
        message_id,
        chat,
        sender,
        int(record["date"]),
        record.get("kind", "text"),
        raw=record.get("raw"),
        text=record.get("text"),
        entities=list(record.get("entities") or []),
        reply_markup=record.get("reply_markup"),
        media=record.get("media"),
        edit_date=record.get("edit_date"),
    )
    if record.get("poll"):
        message.poll = _restore_poll(world, record["poll"])
    chat.messages[message_id] = message
    chat.next_message_id = max(chat.next_message_id, message_id + 1)
    return message


def _restore_poll(world: World, saved: Record) -> Poll:
    """A poll the bot sent, with its votes; fresh poll ids go on after it (never reused)."""
    votes = {int(voter): list(chosen) for voter, chosen in saved.get("votes", {}).items()}
    poll = Poll(**{**saved, "votes": votes})
    world.polls[poll.id] = poll
    world.continue_ids(int(poll.id) % 10**15 + 1)
    return poll


def restore_next_message_id(world: World, chat_id: int, next_id: int) -> None:
    """The chat's next message id is at least ``next_id`` (ids are never given twice)."""
    chat = world.chat(chat_id)
    chat.next_message_id = max(chat.next_message_id, next_id)


def restore_updates(world: World, pending: list[dict[str, Any]], next_id: int) -> None:
    """Queue again the updates the bot had not confirmed; their button presses stay answerable."""
    highest = 0
    for update in pending:
        query = update.get("callback_query")
        if isinstance(query, dict):
            chat_id = (query.get("message") or {}).get("chat", {}).get("id")
            user_id = int(query["from"]["id"])
            known = chat_id if chat_id in world.chats else None
            world.callbacks[query["id"]] = CallbackQuery(user_id, known, world.clock())
            highest = max(highest, int(query["id"]) % 10**15)
    # Fresh callback ids must not meet a restored one (ids are prefix + counter).
    world.continue_ids(highest + 1)
    world.updates.restore(pending, next_id)
