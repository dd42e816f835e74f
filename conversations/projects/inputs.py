"""Everything typed in the projects feature, as one persistent conversation named ``projects``.

A button starts an input: the project it is about is stored (``expect_input``) and the
conversation waits in the state named after the input's kind, across restarts. Each typed
answer is re-checked (member, holder, the domain's rules); a refused answer is explained and
the question stays open; ``/annuler`` leaves, ``/passer`` skips an optional comment.
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
from conversations.projects import checklist, proposing, team
from conversations.visio.inputs import SKIP_COMMANDS
from schedules.projects.buttons import ACTION, ANSWER, IDEA, MENU

ANSWERS: dict[str, Callable[..., Any]] = {
    **proposing.ANSWERS,
    **checklist.ANSWERS,
    **team.ANSWERS,
}
"""Each input's kind (its conversation state) and the handler of its typed answer."""
PROPOSE = re.compile(rf"^{MENU.prefix}:{MENU.version}:propose$")


async def text_expected(update: Update, context: MaillageContext) -> None:
    """A sticker, photo or voice note where text is expected."""
    t = await translator_for(update, context)
    await say(update, t("projects.text_expected"))


def _state(kind: str) -> list[BaseHandler]:
    """The handlers of the state ``kind``: its answer, /passer if optional, a non-text reply."""
    handlers: list[BaseHandler] = [
        MessageHandler(filters.TEXT & ~filters.COMMAND, ANSWERS[kind]),
        MessageHandler(~filters.COMMAND, text_expected),
    ]
    if kind in checklist.SKIPPABLE:
        handlers.insert(0, CommandHandler(SKIP_COMMANDS, ANSWERS[kind]))
    return handlers


def build() -> list[BaseHandler]:
    """The projects conversation (typed answers), persisted across restarts."""
    return [
        ConversationHandler(
            entry_points=[
                CallbackQueryHandler(proposing.start_proposal, pattern=PROPOSE),
                CallbackQueryHandler(proposing.start_idea, pattern=IDEA.pattern),
                CallbackQueryHandler(checklist.on_answer, pattern=ANSWER.pattern),
                CallbackQueryHandler(team.start_action, pattern=ACTION.pattern),
            ],
            states={kind: _state(kind) for kind in ANSWERS},
            fallbacks=cancel_handlers(),
            name="projects",
            persistent=True,
            allow_reentry=True,
        )
    ]
