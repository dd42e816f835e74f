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

from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
)

from conversations.cancel import cancel_handlers
from conversations.projects import checklist, proposing, team
from conversations.typed_inputs import typed_states
from schedules.projects.buttons import ACTION, ANSWER, IDEA, MENU

ANSWERS: dict[str, Callable[..., Any]] = {
    **proposing.ANSWERS,
    **checklist.ANSWERS,
    **team.ANSWERS,
}
"""Each input's kind (its conversation state) and the handler of its typed answer."""
PROPOSE = re.compile(rf"^{MENU.prefix}:{MENU.version}:propose$")


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
            states=typed_states(ANSWERS, checklist.SKIPPABLE, "projects.text_expected"),
            fallbacks=cancel_handlers(),
            name="projects",
            persistent=True,
            allow_reentry=True,
        )
    ]
