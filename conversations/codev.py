"""Co-development groups: every handler of the feature, and its one text-input conversation.

All the questions the feature asks (creating a group, a case, a date, a plan…) live in one
persistent conversation with re-entry, so that starting a new question always replaces the
one left unanswered, and a typed text never lands in the wrong place.
"""

from __future__ import annotations

from telegram.ext import BaseHandler, ConversationHandler

from conversations import (
    codev_ask,
    codev_create,
    codev_followup,
    codev_guide,
    codev_home,
    codev_join,
    codev_plan,
    codev_roster,
    codev_schedule,
    codev_session,
)
from conversations.cancel import cancel_handlers

INPUT_FLOWS = (codev_create, codev_ask, codev_schedule, codev_guide, codev_plan, codev_followup)


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
        *codev_home.build(),
        *codev_join.build(),
        *codev_roster.build(),
        *codev_ask.handlers(),
        *codev_schedule.handlers(),
        *codev_session.handlers(),
        *codev_guide.handlers(),
    ]


def after_registration_handler() -> BaseHandler:
    """A newcomer who came through an invitation lands in the group once registered."""
    return codev_join.after_registration_handler()
