"""The projects feature's handlers: typed answers first (a conversation), then buttons."""

from __future__ import annotations

from telegram.ext import BaseHandler, CallbackQueryHandler

from conversations.projects import checklist, home, impact, inputs, portfolio, review, team
from schedules.projects.buttons import CHECKLIST, JOIN, VALIDATE


def conversation() -> list[BaseHandler]:
    """The typed answers, listed before the other features' commands.

    A command sent mid-question is then explained instead of starting another flow.
    """
    return inputs.build()


def build() -> list[BaseHandler]:
    """The projects buttons and commands (the conversation is listed apart, earlier)."""
    return [
        CallbackQueryHandler(checklist.on_checklist, pattern=CHECKLIST.pattern),
        CallbackQueryHandler(review.on_validate, pattern=VALIDATE.pattern),
        CallbackQueryHandler(team.on_join, pattern=JOIN.pattern),
        *portfolio.build(),
        *impact.build(),
        *home.build(),
    ]
