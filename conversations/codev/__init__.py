"""Co-development groups: every handler of the feature, and its one text-input conversation.

All the questions the feature asks (creating a group, a case, a date, a plan…) live in one
persistent conversation with re-entry, so that starting a new question always replaces the
one left unanswered, and a typed text never lands in the wrong place.
"""

from __future__ import annotations

from telegram.ext import BaseHandler, ConversationHandler

from conversations.cancel import cancel_handlers
from conversations.codev import (
    ask,
    create,
    followup,
    guide,
    home,
    join,
    plan,
    roster,
    schedule,
    session,
)

INPUT_FLOWS = (create, ask, schedule, guide, plan, followup)


def build() -> list[BaseHandler]:
    """The text-input conversation first, then the buttons and commands of the feature."""
    states: dict[object, list[BaseHandler]] = {}
    for flow in INPUT_FLOWS:
        states.update(flow.states())
    questions = ConversationHandler(
        entry_points=[entry for flow in INPUT_FLOWS for entry in flow.entries()],
        states=states,
        fallbacks=cancel_handlers(),
        name="codev",
        persistent=True,
        allow_reentry=True,
    )
    return [
        questions,
        *home.build(),
        *join.build(),
        *roster.build(),
        *ask.handlers(),
        *schedule.handlers(),
        *session.handlers(),
        *guide.handlers(),
    ]


def after_registration_handler() -> BaseHandler:
    """A newcomer who came through an invitation lands in the group once registered."""
    return join.after_registration_handler()
