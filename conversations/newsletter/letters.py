"""/lettre (/newsletter) and /rappel (/reminder): write, preview, test, send or schedule, cancel.

One conversation serves both kinds of broadcast. The draft lives in the database (each
typed message is added at once); the conversation state only says whether the animator is
typing text or a date. Buttons work at any moment: each re-checks the role, re-reads the
draft and answers stale or forged payloads with "ce bouton a expiré".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

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
from bot.domain.members import Member, Role
from bot.domain.newsletter.model import BroadcastKind
from bot.i18n import Translator
from conversations.cancel import cancel_handlers
from conversations.common import member_only, unpack_press
from conversations.newsletter.broadcast import (
    BUTTON_ACTION,
    COMMAND_NAMES,
    KINDS,
    State,
    text_state,
    when_state,
)
from conversations.newsletter.panel import (
    choose_audience,
    on_field,
    on_segment,
    preview,
    show_panel,
    toggle_urgent,
)
from conversations.newsletter.scheduled import list_waiting, on_cancel, on_resend
from conversations.newsletter.sending import ask_when, confirm_now, on_when, send_now, test_to_self
from conversations.newsletter.views import ACT, AUD, CANCEL, SEG
from conversations.newsletter.writing import (
    add_more,
    clear_draft,
    on_not_text,
    on_text,
    start_newsletter,
    start_reminder,
)
from schedules.newsletter.buttons import RESEND

Step = Callable[[Update, MaillageContext, Member, Translator, BroadcastKind], Awaitable[State]]
"""What a button of the flow runs, for its kind of broadcast."""

STEPS: dict[str, Step] = {
    "preview": preview,
    "back": show_panel,
    "urgent": toggle_urgent,
    "clear": clear_draft,
    "add": add_more,
    "audience": choose_audience,
    "test": test_to_self,
    "now": confirm_now,
    "go": send_now,
    "later": ask_when,
    "waiting": list_waiting,
}


@member_only(Role.ANIMATOR, BUTTON_ACTION)
async def on_step(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """A button of the flow: run its step for its kind of broadcast."""
    data = await unpack_press(update, t, ACT, lambda d: d["k"] in KINDS and d["a"] in STEPS)
    if data is None:
        return None
    return await STEPS[data["a"]](update, context, member, t, KINDS[data["k"]])


def build() -> list[BaseHandler]:
    """The broadcast conversation: commands and buttons enter it at any moment."""
    states: dict[object, list[BaseHandler]] = {}
    private = filters.ChatType.PRIVATE
    typed = filters.TEXT & ~filters.COMMAND
    for kind in BroadcastKind:
        for state, on_typed in ((text_state(kind), on_text), (when_state(kind), on_when)):
            states[state] = [
                MessageHandler(typed, partial(on_typed, kind=kind)),
                MessageHandler(~filters.TEXT & ~filters.COMMAND, partial(on_not_text, state=state)),
            ]
    return [
        ConversationHandler(
            entry_points=[
                CommandHandler(COMMAND_NAMES[BroadcastKind.NEWSLETTER], start_newsletter, private),
                CommandHandler(COMMAND_NAMES[BroadcastKind.REMINDER], start_reminder, private),
                CallbackQueryHandler(on_step, pattern=ACT.pattern),
                CallbackQueryHandler(on_field, pattern=AUD.pattern),
                CallbackQueryHandler(on_segment, pattern=SEG.pattern),
                CallbackQueryHandler(on_cancel, pattern=CANCEL.pattern),
                CallbackQueryHandler(on_resend, pattern=RESEND.pattern),
            ],
            states=states,
            fallbacks=cancel_handlers(),
            name="broadcast",
            persistent=True,
            allow_reentry=True,
        )
    ]
