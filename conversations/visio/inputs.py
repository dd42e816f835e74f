"""Everything typed in the visio feature, as one persistent conversation named ``visio``.

A button or command starts an input: the row it is about is stored (``expect_input``) and
the conversation waits in the state named after the input's kind, across restarts. Each
typed answer is re-checked (role, then the domain's rules); a refused answer is explained
and the question stays open; ``/annuler`` leaves, ``/passer`` skips an optional answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)

from bot.callback_data import CallbackSpec
from conversations.cancel import cancel_handlers
from conversations.typed_inputs import typed_states
from conversations.visio import proposing, session_inputs, setting_inputs, topic_inputs
from schedules.visio.buttons import ADMIN, MENU, SESSION_ACTION, TOPIC_ACTION

ANSWERS: dict[str, Callable[..., Any]] = {
    **proposing.ANSWERS,
    **setting_inputs.ANSWERS,
    **topic_inputs.ANSWERS,
    **session_inputs.ANSWERS,
}
"""Each input's kind (its conversation state) and the handler of its typed answer."""


def _only(spec: CallbackSpec, field: str, *values: str) -> re.Pattern[str]:
    """A pattern for the payloads of ``spec`` whose last field ``field`` is one of ``values``."""
    assert spec.fields[-1] == field
    middle = "".join(r"[^:]+:" for _ in spec.fields[:-1])
    return re.compile(rf"^{spec.prefix}:{spec.version}:{middle}({'|'.join(values)})$")


def build() -> list[BaseHandler]:
    """The visio conversation (typed answers), persisted across restarts."""
    topic_actions = _only(TOPIC_ACTION, "action", *topic_inputs.TOPIC_QUESTIONS)
    session_actions = _only(SESSION_ACTION, "action", *session_inputs.SESSION_QUESTIONS)
    return [
        ConversationHandler(
            entry_points=[
                CommandHandler(proposing.PROPOSE_COMMANDS, proposing.start_proposal),
                CallbackQueryHandler(
                    proposing.start_proposal, pattern=_only(MENU, "item", "propose")
                ),
                CallbackQueryHandler(
                    setting_inputs.start_setting,
                    pattern=_only(ADMIN, "item", *setting_inputs.SETTING_QUESTIONS),
                ),
                CallbackQueryHandler(topic_inputs.start_topic_input, pattern=topic_actions),
                CallbackQueryHandler(session_inputs.start_session_input, pattern=session_actions),
            ],
            states=typed_states(ANSWERS, proposing.SKIPPABLE, "visio.propose.text_expected"),
            fallbacks=cancel_handlers(),
            name="visio",
            persistent=True,
            allow_reentry=True,
        )
    ]
