"""Bot API methods about messages: send, edit, delete, files, polls, callback answers, chats."""

from __future__ import annotations

import mimetypes
from typing import Any

from bot.sandbox import errors
from bot.sandbox.files import (
    DOWNLOAD_LIMIT,
    PHOTO_UPLOAD_LIMIT,
    UPLOAD_LIMIT,
    StoredFile,
    image_size,
)
from bot.sandbox.formatting import format_caption, format_text
from bot.sandbox.markup import parse_reply_markup
from bot.sandbox.model import BOT_SIDE, SYSTEM_SIDE, Chat, Message, Poll, now
from bot.sandbox.params import Params
from bot.sandbox.world import World

ANSWER_TEXT_LIMIT = 200
POLL_QUESTION_LIMIT = 300
POLL_OPTION_LIMIT = 100
POLL_MAX_OPTIONS = 12
POLL_ID_BASE = 5_300_000_000_000_000_000
_FULL_INFO = {
    "accent_color_id": 0,
    "max_reaction_count": 11,
    "accepted_gift_types": {
        "unlimited_gifts": False,
        "limited_gifts": False,
        "unique_gifts": False,
        "premium_subscription": False,
        "gifts_from_channels": False,
    },
}


def _markups(params: Params) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(inline keyboard kept on the message, reply keyboard shown to members)."""
    markup = parse_reply_markup(params.raw("reply_markup"))
    if markup is not None and "inline_keyboard" not in markup:
        return None, markup
    return markup, None


def _mentions(world: World, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
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


def _own_message(world: World, params: Params, not_found: str) -> Message:
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


def send_message(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``sendMessage``."""
    chat_id = params.chat_id()
    raw = params.text("text")
    if not raw:
        raise errors.bad_request(errors.TEXT_EMPTY_PARAM)
    text, entities = format_text(raw, params.text("parse_mode"), params.raw("entities"))
    markup, keyboard = _markups(params)
    chat = world.chat_for_bot(chat_id)
    world.throttle(chat, creates=True, paid=params.boolean("allow_paid_broadcast"))
    message = world.post(
        chat,
        world.bot,
        "text",
        raw=raw,
        text=text,
        entities=_mentions(world, entities),
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
    message = _own_message(world, params, errors.MESSAGE_TO_EDIT_NOT_FOUND)
    if message.kind != "text":
        raise errors.bad_request(errors.NO_TEXT_TO_EDIT)
    return _apply_edit(world, message, raw, text, _mentions(world, entities), markup)


def edit_message_caption(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``editMessageCaption``."""
    raw = params.text("caption") or ""
    caption, entities = format_caption(
        raw, params.text("parse_mode"), params.raw("caption_entities")
    )
    markup = parse_reply_markup(params.raw("reply_markup"))
    message = _own_message(world, params, errors.MESSAGE_TO_EDIT_NOT_FOUND)
    if message.kind not in ("document", "photo"):
        raise errors.bad_request(errors.NO_CAPTION_TO_EDIT)
    return _apply_edit(world, message, raw, caption, _mentions(world, entities), markup)


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
    message = _own_message(world, params, errors.MESSAGE_TO_EDIT_NOT_FOUND)
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


def _input_file(world: World, params: Params, field: str, kind: str) -> StoredFile:
    """The file of ``field``: an upload (possibly ``attach://``), or a known ``file_id``."""
    value = params.text(field)
    upload = params.uploads.get(field)
    if value and value.startswith("attach://"):
        upload = params.uploads.get(value[len("attach://") :])
    if upload is not None:
        limit = PHOTO_UPLOAD_LIMIT if kind == "photo" else UPLOAD_LIMIT
        if len(upload.data) > limit:
            raise errors.bad_request(errors.FILE_TOO_BIG)
        if not upload.data:
            raise errors.bad_request(errors.FILE_EMPTY)
        name = upload.filename
        mime = upload.content_type
        if not mime or mime == "application/octet-stream":
            mime = (mimetypes.guess_type(name)[0] if name else None) or mime
        if kind == "photo":
            name, mime = None, "image/jpeg"
        return world.files.add(upload.data, kind, name, mime)
    if not value:
        raise errors.bad_request(f"Bad Request: there is no {field} in the request")
    if value.startswith(("http://", "https://")):
        raise errors.bad_request(errors.URL_NOT_FETCHED)
    stored = world.files.by_id(value)
    if stored is None:
        raise errors.bad_request(errors.WRONG_FILE_ID)
    return stored


def _send_media(world: World, params: Params, kind: str) -> dict[str, Any]:
    chat_id = params.chat_id()
    caption, entities = format_caption(
        params.text("caption"), params.text("parse_mode"), params.raw("caption_entities")
    )
    markup, keyboard = _markups(params)
    stored = _input_file(world, params, kind, kind)
    media: Any
    if kind == "photo":
        size = image_size(stored.data)
        if size is None:
            raise errors.bad_request(errors.IMAGE_PROCESS_FAILED)
        media = [photo_size(stored, size)]
    else:
        media = document_api(stored)
    chat = world.chat_for_bot(chat_id)
    world.throttle(chat, creates=True, paid=params.boolean("allow_paid_broadcast"))
    message = world.post(
        chat,
        world.bot,
        kind,
        raw=params.text("caption"),
        text=caption,
        entities=_mentions(world, entities),
        reply_markup=markup,
        keyboard=keyboard,
        media=media,
        file=stored,
    )
    return message.to_api()


def photo_size(stored: StoredFile, size: tuple[int, int]) -> dict[str, Any]:
    """Bot API ``PhotoSize`` for a stored image."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": size[0],
        "height": size[1],
        "file_size": len(stored.data),
    }


def document_api(stored: StoredFile) -> dict[str, Any]:
    """Bot API ``Document`` for a stored file."""
    document: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


def send_document(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``sendDocument`` (multipart upload, ``attach://``, or a known file_id; no URLs)."""
    return _send_media(world, params, "document")


def send_photo(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``sendPhoto`` (PNG, JPEG, GIF or WebP; one ``PhotoSize`` of the original size)."""
    return _send_media(world, params, "photo")


def get_file(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``getFile``."""
    stored = world.files.by_id(params.required_text("file_id"))
    if stored is None:
        raise errors.bad_request(errors.INVALID_FILE_ID)
    if len(stored.data) > DOWNLOAD_LIMIT:
        raise errors.bad_request(errors.FILE_TOO_BIG)
    return stored.to_api()


def _poll_options(params: Params) -> list[str]:
    options = params.json("options", errors.POLL_OPTIONS_UNPARSABLE)
    if not options:
        raise errors.bad_request(errors.POLL_NO_OPTIONS)
    if not isinstance(options, list):
        raise errors.bad_request("Bad Request: expected an Array of InputPollOption")
    if len(options) > POLL_MAX_OPTIONS:
        raise errors.bad_request(errors.POLL_TOO_MANY_OPTIONS)
    texts = []
    for option in options:
        if isinstance(option, dict) and isinstance(option.get("text"), str):
            raw, mode = option["text"], option.get("text_parse_mode")
        elif isinstance(option, str):
            raw, mode = option, None
        else:
            raise errors.bad_request(
                "Bad Request: can't parse InputPollOption: Expected InputPollOption to be an Object"
            )
        text, _ = format_text(
            raw, mode, limit=POLL_OPTION_LIMIT, too_long=errors.POLL_OPTION_TOO_LONG
        )
        texts.append(text)
    return texts


def send_poll(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``sendPoll`` (regular and quiz polls; question and options checked like Telegram)."""
    chat_id = params.chat_id()
    question, _ = format_text(
        params.text("question") or "",
        params.text("question_parse_mode"),
        limit=POLL_QUESTION_LIMIT,
        too_long=errors.POLL_QUESTION_TOO_LONG,
    )
    options = _poll_options(params)
    poll_type = params.text("type") or "regular"
    if poll_type not in ("regular", "quiz"):
        raise errors.bad_request(errors.POLL_TYPE_UNSUPPORTED)
    markup, keyboard = _markups(params)
    chat = world.chat_for_bot(chat_id)
    world.throttle(chat, creates=True, paid=params.boolean("allow_paid_broadcast"))
    correct = params.json("correct_option_ids", "Bad Request: can't parse correct_option_ids")
    if correct is None and params.integer("correct_option_id") is not None:
        correct = [params.integer("correct_option_id")]
    poll = Poll(
        id=world.new_id(POLL_ID_BASE),
        question=question,
        options=options,
        is_anonymous=params.boolean("is_anonymous", True),
        type=poll_type,
        allows_multiple_answers=params.boolean("allows_multiple_answers"),
        chat_id=chat.id,
        message_id=chat.next_message_id,
        correct_option_ids=correct if poll_type == "quiz" else None,
        is_closed=params.boolean("is_closed"),
    )
    world.polls[poll.id] = poll
    message = world.post(
        chat,
        world.bot,
        "poll",
        text=question,
        poll=poll,
        reply_markup=markup,
        keyboard=keyboard,
    )
    return message.to_api()


def stop_poll(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``stopPoll``."""
    markup = parse_reply_markup(params.raw("reply_markup"))
    message = _own_message(world, params, errors.POLL_NOT_FOUND)
    if message.poll is None:
        raise errors.bad_request(errors.NOT_A_POLL)
    if message.poll.is_closed:
        raise errors.bad_request(errors.POLL_ALREADY_CLOSED)
    message.poll.is_closed = True
    message.reply_markup = markup
    world.log_bot_event(message, "edit")
    world.updates.push("poll", message.poll.to_api())
    return message.poll.to_api()


def _chat(world: World, params: Params) -> Chat:
    chat = world.chats.get(params.chat_id())
    if chat is None:
        raise errors.bad_request(errors.CHAT_NOT_FOUND)
    return chat


def get_chat(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``getChat`` (``ChatFullInfo`` with the required fields)."""
    return {**_chat(world, params).api, **_FULL_INFO}


def get_chat_member(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``getChatMember``: ``member`` (private chat's user, group members) or ``left``."""
    chat = _chat(world, params)
    user_id = params.integer("user_id")
    if user_id == world.bot.id:
        member: dict[str, Any] = {"status": chat.bot_status, "user": world.bot.to_api()}
        if chat.bot_status == "kicked":
            member["until_date"] = 0
        return member
    user = world.users.get(user_id or 0)
    if user is None:
        raise errors.bad_request(errors.USER_NOT_FOUND)
    inside = chat.id == user.id if chat.private else user.id in chat.member_ids
    return {"status": "member" if inside else "left", "user": user.to_api()}


def send_chat_action(world: World, params: Params) -> bool:
    """Bot API ``sendChatAction``: checks access to the chat, shows nothing."""
    world.chat_for_bot(params.chat_id())
    return True
