"""Everything typed in the FAQ, as one persistent conversation named ``faq``.

A button starts an input: what it is about is stored (``FaqService.expect``) and the
conversation waits in the state named after its kind, across restarts. Each typed answer
is re-checked (role, then the rules); a refused answer is explained and the question stays
open; ``/annuler`` leaves, ``/passer`` skips a language of a new entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import MaillageContext
from conversations.cancel import cancel_handlers
from conversations.common import say, translator_for
from conversations.faq import entries, questions
from conversations.faq.buttons import EDIT, HOME, PICK, QUESTION

SKIP_COMMANDS = ["passer", "skip"]
ANSWERS: dict[str, Callable[..., Any]] = {**entries.ANSWERS, **questions.ANSWERS}


async def text_expected(update: Update, context: MaillageContext) -> None:
    """A sticker, photo or voice note where text is expected."""
    t = await translator_for(update, context)
    await say(update, t("faq.error.text_expected"))


def _state(kind: str) -> list[BaseHandler]:
    """The handlers of the state ``kind``: its answer, /passer if optional, a non-text reply."""
    handlers: list[BaseHandler] = [
        MessageHandler(filters.TEXT & ~filters.COMMAND, ANSWERS[kind]),
        MessageHandler(~filters.COMMAND, text_expected),
    ]
    if kind in entries.SKIPPABLE:
        handlers.insert(0, CommandHandler(SKIP_COMMANDS, ANSWERS[kind]))
    return handlers


def _pattern(spec_prefix: str, middle: str) -> re.Pattern[str]:
    return re.compile(rf"^{spec_prefix}:\d+:{middle}")


def build() -> list[BaseHandler]:
    """The FAQ conversation (typed answers), persisted across restarts."""
    return [
        ConversationHandler(
            entry_points=[
                CallbackQueryHandler(
                    questions.start_search, pattern=_pattern(HOME.prefix, "search:")
                ),
                CallbackQueryHandler(questions.start_ask, pattern=_pattern(HOME.prefix, "ask:")),
                CallbackQueryHandler(entries.start_add, pattern=_pattern(PICK.prefix, "add:")),
                CallbackQueryHandler(
                    entries.start_version, pattern=_pattern(EDIT.prefix, r"[^:]+:(fr|en):")
                ),
                CallbackQueryHandler(
                    questions.start_answer, pattern=_pattern(QUESTION.prefix, r"[^:]+:answer$")
                ),
            ],
            states={kind: _state(kind) for kind in ANSWERS},
            fallbacks=cancel_handlers(),
            name="faq",
            persistent=True,
            allow_reentry=True,
        )
    ]
