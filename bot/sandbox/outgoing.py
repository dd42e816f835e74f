"""What the bot's send and edit methods share: keyboards, mentions, the message designated."""

from __future__ import annotations

from typing import Any

from bot.sandbox import errors
from bot.sandbox.markup import parse_reply_markup
from bot.sandbox.model import Message
from bot.sandbox.params import Params
from bot.sandbox.world import World


def markups(params: Params) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(inline keyboard kept on the message, reply keyboard shown to members)."""
    markup = parse_reply_markup(params.raw("reply_markup"))
    if markup is not None and "inline_keyboard" not in markup:
        return None, markup
    return markup, None


def mentions(world: World, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill ``text_mention`` users from known members; drop mentions of unknown users."""
    kept = []
    for entity in entities:
        if entity["type"] == "text_mention":
            user = world.users.get(entity["user"]["id"])
            if user is None:
                continue
            entity = {**entity, "user": user.to_api()}
        kept.append(entity)
    return kept


def own_message(world: World, params: Params, not_found: str) -> Message:
    """The bot-addressed message designated by ``chat_id`` + ``message_id``."""
    if params.raw("inline_message_id") and params.raw("chat_id") is None:
        raise errors.bad_request(not_found)
    chat_id = params.chat_id()
    message_id = params.integer("message_id")
    if message_id is None:
        raise errors.bad_request(errors.MESSAGE_ID_MISSING)
    chat = world.chat_for_bot(chat_id)
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        raise errors.bad_request(not_found)
    return message
