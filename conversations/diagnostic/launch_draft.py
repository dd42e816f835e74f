"""What every launch step shares: the pressed button, the answer written to the draft, refusals."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, Update
from telegram.ext import ConversationHandler

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.diagnostic.model import CampaignDraft, DiagnosticError
from bot.domain.members import Member
from bot.i18n import Translator
from conversations.common import notify
from conversations.diagnostic.views import error_text

State = str | int
ACTION = "diagnostic_launch"


async def refuse(update: Update, t: Translator, error: DiagnosticError) -> State:
    """Tell the animator why the step failed, and leave the conversation."""
    await notify(update, error_text(t, error))
    return ConversationHandler.END


def pressed(update: Update, spec: CallbackSpec) -> tuple[CallbackQuery, dict[str, str] | None]:
    """The press, and its button's fields (None: a stale or forged payload)."""
    query = update.callback_query
    assert query is not None
    return query, spec.unpack(query.data)


async def save_answer(
    update: Update,
    context: MaillageContext,
    member: Member,
    t: Translator,
    answer: dict[str, Any] | None,
) -> CampaignDraft | None:
    """Write ``answer`` (draft fields; None: a bad press) to the draft; None once refused."""
    try:
        if answer is None:
            raise DiagnosticError("no_draft")
        return await context.services.diagnostics.campaigns.update_draft(member.user_id, **answer)
    except DiagnosticError as error:
        await refuse(update, t, error)
        return None
