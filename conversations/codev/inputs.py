"""The questions co-development asks and the answers typed to them.

What a pending answer is about is kept in the database (a restart loses nothing); a refused
answer gets its reason, and the question again when retyping can fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import MessageHandler, filters

from bot.context import MaillageContext
from bot.domain.codev.model import CodevError
from bot.domain.datetime_input import DateTimeInputError
from bot.domain.members import Member
from bot.i18n import Translator
from conversations.codev.common import END, Handler, InputError, error_text
from conversations.common import acknowledge, say

FIXABLE = frozenset(
    {
        "empty",
        "too_long",
        "link_expected",
        "step_minutes",
        "date_count",
        "date_line",
        "date_twice",
        "date_past",
        "date_too_far",
    }
)


@dataclass(frozen=True)
class Typed:
    """A typed answer and what its question was about (``ref``, ``data``)."""

    ref: int
    data: dict[str, Any]
    text: str


def text_state(callback: Handler) -> MessageHandler:
    """A conversation state's handler for what the member sends in private (not a command)."""
    return MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, callback)


async def ask(
    update: Update,
    context: MaillageContext,
    member: Member,
    kind: str,
    ref: int | None,
    question: str,
    reply: InlineKeyboardMarkup | None = None,
) -> None:
    """Open a question: keep what it is about in the database, answer the press, ask."""
    await context.services.codev.remember(member.user_id, kind, ref)
    if update.callback_query is not None:
        await acknowledge(update.callback_query)
    await say(update, question, reply)


async def answer_of(
    update: Update,
    context: MaillageContext,
    member: Member,
    t: Translator,
    kind: str,
    again: str,
    **params: Any,
) -> Typed | int | None:
    """The text typed for the pending question ``kind``.

    END when no such question is pending (it was answered elsewhere); None after asking
    again when the member sent something else than text (a sticker, a photo…).
    """
    recalled = await context.services.codev.recall(member.user_id, kind)
    if recalled is None:
        return END
    message = update.effective_message
    assert message is not None
    if not message.text:
        await say(update, t("codev.text_expected"))
        await say(update, t(again, **params))
        return None
    return Typed(recalled[0] or 0, recalled[1], message.text)


async def answer_refused(
    update: Update, t: Translator, error: InputError, again: str, **params: Any
) -> int | None:
    """Explain a refused answer; ask again if retyping can fix it, else end the question."""
    await say(update, error_text(t, error))
    fixable = isinstance(error, DateTimeInputError) or (
        isinstance(error, CodevError) and error.code in FIXABLE
    )
    if fixable:
        await say(update, t(again, **params))
        return None
    return END
