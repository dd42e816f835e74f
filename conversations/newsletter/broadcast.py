"""The broadcast flow's vocabulary: its kinds, states and commands, refusals, the prepared draft."""

from __future__ import annotations

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member
from bot.domain.newsletter.model import BroadcastKind, NewsletterError
from bot.domain.newsletter.service import Prepared
from bot.i18n import Translator
from conversations.common import acknowledge, say
from conversations.newsletter.views import error_text

State = str | int | None
KINDS = {kind.value: kind for kind in BroadcastKind}
COMMAND_NAMES = {
    BroadcastKind.NEWSLETTER: ("lettre", "newsletter"),
    BroadcastKind.REMINDER: ("rappel", "reminder"),
}
BUTTON_ACTION = "broadcast_button"
"""The audit name of every button press of the flow."""


def text_state(kind: BroadcastKind) -> str:
    """The animator is typing the text of a broadcast of this kind."""
    return f"{kind}:text"


def when_state(kind: BroadcastKind) -> str:
    """The animator is typing when a broadcast of this kind goes out."""
    return f"{kind}:when"


async def refuse(update: Update, t: Translator, error: NewsletterError) -> None:
    """Say why nothing happened (a message: the animator needs to read the line)."""
    if update.callback_query is not None:
        await acknowledge(update.callback_query)
    await say(update, error_text(t, error))


async def prepared_draft(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> Prepared | None:
    """The draft rendered with its audience, or None once the refusal was said."""
    try:
        return await context.services.newsletters.prepare(member.user_id, kind)
    except NewsletterError as error:
        await refuse(update, t, error)
        return None


def command_of(t: Translator, kind: BroadcastKind) -> str:
    """The command of this kind in the animator's language (to come back to the list)."""
    french, english = COMMAND_NAMES[kind]
    return french if t.language == "fr" else english
