"""What simulated members do: send, tap, vote, block; each turns into the updates Telegram sends.

Every action is ``action(world, user_id, **payload) -> JSON-ready result`` and is reached both
by in-process users (:mod:`bot.sandbox.users`) and by the control API (:mod:`.control`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from bot.sandbox.errors import SandboxError
from bot.sandbox.files import image_size, sample_png
from bot.sandbox.formatting import command_entities
from bot.sandbox.markup import button_rows
from bot.sandbox.media import document_api, photo_size
from bot.sandbox.model import USER_SIDE, Chat, Member
from bot.sandbox.world import CallbackQuery, World

CALLBACK_ID_BASE = 4_300_000_000_000_000_000
# A minimal WebP container: enough for a sticker file to download.
_STICKER_BYTES = (
    b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00"
    b"\x2f\xff\xc1\x7f\x00\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
)
_VOICE_BYTES = b"OggS\x00\x02" + bytes(58)


def _chat_of(world: World, member: Member, chat_id: int | None) -> Chat:
    """The chat ``member`` acts in (their private chat by default), checking membership."""
    chat = world.chat(member.id if chat_id is None else chat_id)
    if chat.private and chat.id != member.id:
        raise SandboxError(f"{member.first_name} cannot act in another member's private chat")
    if not chat.private and member.id not in chat.member_ids:
        raise SandboxError(f"{member.first_name} is not a member of {chat.title!r}")
    return chat


def _open_private(world: World, member: Member, chat: Chat) -> None:
    """Writing to the bot starts it, and unblocks it if it was blocked (Telegram's Restart)."""
    if not chat.private:
        return
    member.started = True
    if member.blocked:
        unblock(world, member.id)


def _user_event(chat: Chat, member: Member, kind: str, **fields: Any) -> None:
    chat.log.append(USER_SIDE, kind, user_id=member.id, name=member.first_name, **fields)


def send(world: World, user_id: int, text: str, chat_id: int | None = None) -> dict[str, Any]:
    """A text message; ``/commands`` get ``bot_command`` entities like in Telegram."""
    if not text or not text.strip():
        raise SandboxError("Telegram does not send empty messages")
    member = world.user(user_id)
    chat = _chat_of(world, member, chat_id)
    _open_private(world, member, chat)
    message = world.post(chat, member, "text", raw=text, text=text, entities=command_entities(text))
    return message.view()


def send_media(
    world: World,
    user_id: int,
    kind: str,
    chat_id: int | None = None,
    data: bytes | None = None,
    file_name: str | None = None,
    caption: str | None = None,
    emoji: str = "👍",
    duration: int = 2,
) -> dict[str, Any]:
    """A sticker, photo, voice note or document sent by a member (files are downloadable)."""
    member = world.user(user_id)
    chat = _chat_of(world, member, chat_id)
    _open_private(world, member, chat)
    media: Any
    if kind == "sticker":
        stored = world.files.add(_STICKER_BYTES, "sticker", None, "image/webp")
        media = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": len(stored.data),
        }
    elif kind == "photo":
        stored = world.files.add(data or sample_png(), "photo", None, "image/jpeg")
        media = [photo_size(stored, image_size(stored.data) or (64, 48))]
    elif kind == "voice":
        stored = world.files.add(data or _VOICE_BYTES, "voice", None, "audio/ogg")
        media = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(stored.data),
        }
    elif kind == "document":
        if not data:
            raise SandboxError("a document needs some bytes")
        stored = world.files.add(data, "document", file_name or "document.bin", None)
        media = document_api(stored)
    else:
        raise SandboxError(f"unknown media kind {kind!r}")
    message = world.post(chat, member, kind, text=caption, raw=caption, media=media, file=stored)
    return message.view()


def tap(
    world: World, user_id: int, message_id: int, data: str, chat_id: int | None = None
) -> dict[str, Any]:
    """A press on a callback button of ``message_id`` (old messages too) sending ``data``."""
    member = world.user(user_id)
    chat = _chat_of(world, member, chat_id)
    if chat.private and member.blocked:
        raise SandboxError(f"{member.first_name} has blocked the bot")
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        raise SandboxError(f"message {message_id} does not exist in chat {chat.id}")
    query_id = world.new_id(CALLBACK_ID_BASE)
    world.callbacks[query_id] = CallbackQuery(member.id, chat.id, world.clock())
    instance = int.from_bytes(hashlib.sha256(str(chat.id).encode()).digest()[:8], "big") >> 1
    world.updates.push(
        "callback_query",
        {
            "id": query_id,
            "from": member.to_api(),
            "message": message.to_api(),
            "chat_instance": str(instance),
            "data": data,
        },
    )
    label = next(
        (
            button["text"]
            for row in button_rows(message.reply_markup)
            for button in row
            if button.get("callback_data") == data
        ),
        None,
    )
    _user_event(chat, member, "tap", message_id=message_id, data=data, label=label)
    return {"callback_query_id": query_id}


def answer_poll(world: World, user_id: int, poll_id: str, option_ids: list[int]) -> dict[str, Any]:
    """A vote (or, with ``[]``, a retraction) in a poll the bot sent."""
    member = world.user(user_id)
    poll = world.polls.get(str(poll_id))
    if poll is None:
        raise SandboxError(f"unknown poll {poll_id}")
    chat = _chat_of(world, member, poll.chat_id)
    if poll.is_closed:
        raise SandboxError(f"poll {poll_id} is closed")
    chosen = sorted(set(option_ids))
    if any(not 0 <= option < len(poll.options) for option in chosen):
        raise SandboxError(f"poll {poll_id} has options 0..{len(poll.options) - 1}")
    if len(chosen) > 1 and not poll.allows_multiple_answers:
        raise SandboxError(f"poll {poll_id} allows one answer only")
    if poll.type == "quiz" and member.id in poll.votes:
        raise SandboxError("a quiz answer cannot be changed")
    if chosen:
        poll.votes[member.id] = chosen
    elif poll.votes.pop(member.id, None) is None:
        raise SandboxError(f"{member.first_name} has no vote to retract in poll {poll_id}")
    world.updates.push("poll", poll.to_api())
    if not poll.is_anonymous:
        world.updates.push(
            "poll_answer",
            {
                "poll_id": poll.id,
                "user": member.to_api(),
                "option_ids": chosen,
                "option_persistent_ids": [str(option) for option in chosen],
            },
        )
    message = chat.messages[poll.message_id]
    _user_event(
        chat, member, "poll_answer", poll_id=poll.id, option_ids=chosen, message=message.view()
    )
    return {"poll_id": poll.id, "option_ids": chosen}


def block(world: World, user_id: int) -> dict[str, Any]:
    """The member blocks the bot: ``my_chat_member`` member -> kicked; sends then get 403."""
    member = world.user(user_id)
    if not member.blocked:
        member.blocked = True
        chat = world.chat(member.id)
        world.chat_member_update(chat, member, "member", "kicked")
        _user_event(chat, member, "block")
    return member.to_dict()


def unblock(world: World, user_id: int) -> dict[str, Any]:
    """The member unblocks the bot: ``my_chat_member`` kicked -> member."""
    member = world.user(user_id)
    if member.blocked:
        member.blocked = False
        chat = world.chat(member.id)
        world.chat_member_update(chat, member, "kicked", "member")
        _user_event(chat, member, "unblock")
    return member.to_dict()


ACTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "send": send,
    "send_media": send_media,
    "tap": tap,
    "answer_poll": answer_poll,
    "block": block,
    "unblock": unblock,
}
