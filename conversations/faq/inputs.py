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

from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
)

from conversations.cancel import cancel_handlers
from conversations.faq import entries, questions
from conversations.faq.buttons import EDIT, HOME, PICK, QUESTION
from conversations.typed_inputs import typed_states

ANSWERS: dict[str, Callable[..., Any]] = {**entries.ANSWERS, **questions.ANSWERS}


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
            states=typed_states(ANSWERS, entries.SKIPPABLE, "faq.error.text_expected"),
            fallbacks=cancel_handlers(),
            name="faq",
            persistent=True,
            allow_reentry=True,
        )
    ]
