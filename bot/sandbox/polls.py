"""Bot API methods about polls: send one, stop one."""

from __future__ import annotations

from typing import Any

from bot.sandbox import errors
from bot.sandbox.formatting import format_text
from bot.sandbox.markup import parse_reply_markup
from bot.sandbox.model import Poll
from bot.sandbox.outgoing import markups, own_message
from bot.sandbox.params import Params
from bot.sandbox.world import World

POLL_QUESTION_LIMIT = 300
POLL_OPTION_LIMIT = 100
POLL_MAX_OPTIONS = 12
POLL_ID_BASE = 5_300_000_000_000_000_000


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
    markup, keyboard = markups(params)
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
    message = own_message(world, params, errors.POLL_NOT_FOUND)
    if message.poll is None:
        raise errors.bad_request(errors.NOT_A_POLL)
    if message.poll.is_closed:
        raise errors.bad_request(errors.POLL_ALREADY_CLOSED)
    message.poll.is_closed = True
    message.reply_markup = markup
    world.log_bot_event(message, "edit")
    world.updates.push("poll", message.poll.to_api())
    return message.poll.to_api()
