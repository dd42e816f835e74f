"""Bot API methods about text messages: send, edit, delete, and answers to button presses."""

from __future__ import annotations

from typing import Any

from bot.sandbox import errors
from bot.sandbox.formatting import format_caption, format_text
from bot.sandbox.markup import parse_reply_markup
from bot.sandbox.model import BOT_SIDE, SYSTEM_SIDE, Message, now
from bot.sandbox.outgoing import markups, mentions, own_message
from bot.sandbox.params import Params
from bot.sandbox.world import World

ANSWER_TEXT_LIMIT = 200


def send_message(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``sendMessage``."""
    chat_id = params.chat_id()
    raw = params.text("text")
    if not raw:
        raise errors.bad_request(errors.TEXT_EMPTY_PARAM)
    text, entities = format_text(raw, params.text("parse_mode"), params.raw("entities"))
    markup, keyboard = markups(params)
    chat = world.chat_for_bot(chat_id)
    world.throttle(chat, creates=True, paid=params.boolean("allow_paid_broadcast"))
    message = world.post(
        chat,
        world.bot,
        "text",
        raw=raw,
        text=text,
        entities=mentions(world, entities),
        reply_markup=markup,
        keyboard=keyboard,
    )
    return message.to_api()


def edit_message_text(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``editMessageText``; without ``reply_markup`` the keyboard goes, as in Telegram."""
    raw = params.text("text")
    if not raw:
        raise errors.bad_request(errors.TEXT_EMPTY_PARAM)
    text, entities = format_text(raw, params.text("parse_mode"), params.raw("entities"))
    markup = parse_reply_markup(params.raw("reply_markup"))
    message = own_message(world, params, errors.MESSAGE_TO_EDIT_NOT_FOUND)
    if message.kind != "text":
        raise errors.bad_request(errors.NO_TEXT_TO_EDIT)
    return _apply_edit(world, message, raw, text, mentions(world, entities), markup)


def edit_message_caption(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``editMessageCaption``."""
    raw = params.text("caption") or ""
    caption, entities = format_caption(
        raw, params.text("parse_mode"), params.raw("caption_entities")
    )
    markup = parse_reply_markup(params.raw("reply_markup"))
    message = own_message(world, params, errors.MESSAGE_TO_EDIT_NOT_FOUND)
    if message.kind not in ("document", "photo"):
        raise errors.bad_request(errors.NO_CAPTION_TO_EDIT)
    return _apply_edit(world, message, raw, caption, mentions(world, entities), markup)


def _apply_edit(
    world: World,
    message: Message,
    raw: str,
    text: str,
    entities: list[dict[str, Any]],
    markup: dict[str, Any] | None,
) -> dict[str, Any]:
    if not message.sender.is_bot:
        raise errors.bad_request(errors.MESSAGE_CANT_BE_EDITED)
    if (text, entities, markup) == (message.text, message.entities, message.reply_markup):
        raise errors.bad_request(errors.NOT_MODIFIED)
    world.throttle(message.chat, creates=False)
    message.raw, message.text, message.entities = raw, text, entities
    message.reply_markup = markup if markup and "inline_keyboard" in markup else None
    message.edit_date = now()
    world.log_bot_event(message, "edit")
    return message.to_api()


def edit_message_reply_markup(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``editMessageReplyMarkup``."""
    markup = parse_reply_markup(params.raw("reply_markup"))
    message = own_message(world, params, errors.MESSAGE_TO_EDIT_NOT_FOUND)
    if not message.sender.is_bot:
        raise errors.bad_request(errors.MESSAGE_CANT_BE_EDITED)
    if markup == message.reply_markup:
        raise errors.bad_request(errors.NOT_MODIFIED)
    world.throttle(message.chat, creates=False)
    message.reply_markup = markup
    message.edit_date = now()
    world.log_bot_event(message, "markup")
    return message.to_api()


def delete_message(world: World, params: Params) -> bool:
    """Bot API ``deleteMessage`` (the bot's messages, and members' messages in private chats)."""
    chat_id = params.chat_id()
    message_id = params.integer("message_id")
    if message_id is None:
        raise errors.bad_request(errors.MESSAGE_ID_MISSING)
    chat = world.chats.get(chat_id)
    if chat is None:
        raise errors.bad_request(errors.CHAT_NOT_FOUND)
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        raise errors.bad_request(errors.MESSAGE_TO_DELETE_NOT_FOUND)
    message.deleted = True
    world.log_bot_event(message, "delete")
    return True


def answer_callback_query(world: World, params: Params) -> bool:
    """Bot API ``answerCallbackQuery``: once per query, within ``callback_timeout`` seconds."""
    text = params.text("text") or ""
    if len(text) > ANSWER_TEXT_LIMIT:
        raise errors.bad_request(errors.ANSWER_TEXT_TOO_LONG)
    query_id = params.text("callback_query_id")
    query = world.callbacks.get(query_id or "")
    if query is None or query.answered or world.clock() - query.created > world.callback_timeout:
        raise errors.bad_request(errors.QUERY_TOO_OLD)
    query.answered = True
    chat = world.chats.get(query.chat_id) if query.chat_id is not None else None
    if chat is None:
        return True
    log = chat.log
    if text:
        show_alert = params.boolean("show_alert")
        log.append(BOT_SIDE, "toast", text=text, show_alert=show_alert, user_id=query.user_id)
    else:
        log.append(SYSTEM_SIDE, "answer", user_id=query.user_id)
    return True
