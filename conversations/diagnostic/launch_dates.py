"""The launch's typed dates: opening (or now) and closing, read in the network's zone."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import MaillageContext
from bot.domain.datetime_input import DateTimeInputError, parse_datetime_input
from bot.domain.diagnostic.model import DiagnosticError
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import acknowledge, keyboard, member_only, say
from conversations.dates import datetime_error_text
from conversations.diagnostic.answer import typed_text
from conversations.diagnostic.launch_draft import ACTION, State, refuse
from conversations.diagnostic.launch_views import plan_view
from conversations.diagnostic.views import error_text

OPENS_STATE = "dq_opens"
CLOSES_STATE = "dq_closes"
NOW_WORDS = frozenset({"maintenant", "now", "tout de suite", "immédiatement"})


async def _set_opening(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> State:
    """Store the opening time (None: now), then step 6: the closing date."""
    services = context.services
    now = services.clock.now()
    try:
        opens = parse_datetime_input(text, services.settings.timezone, now) if text else now
        await services.diagnostics.campaigns.update_draft(member.user_id, opens_at=opens)
    except DateTimeInputError as error:
        await say(update, datetime_error_text(t, error))
        return OPENS_STATE
    except DiagnosticError as error:
        await say(update, error_text(t, error))
        return OPENS_STATE if error.code == "closes_before_opens" else ConversationHandler.END
    note = (
        t("diagnostic.launch.opens_at", date=t.datetime(opens))
        if text
        else t("diagnostic.launch.opens_now")
    )
    await say(update, f"{note}\n{t('diagnostic.launch.closes')}")
    return CLOSES_STATE


@member_only(Role.ANIMATOR, ACTION)
async def on_now(update: Update, context: MaillageContext, member: Member, t: Translator) -> State:
    """Opening: as soon as the campaign is launched."""
    query = update.callback_query
    assert query is not None
    await acknowledge(query)
    return await _set_opening(update, context, member, t, None)


@member_only(Role.ANIMATOR, ACTION)
async def on_opens_text(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """The typed opening date."""
    text = await typed_text(update, t)
    if text is None:
        return OPENS_STATE
    now = text.strip().lower() in NOW_WORDS
    return await _set_opening(update, context, member, t, None if now else text)


@member_only(Role.ANIMATOR, ACTION)
async def on_closes_text(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """The typed closing date, then step 7: the reminder plan."""
    text = await typed_text(update, t)
    if text is None:
        return CLOSES_STATE
    services = context.services
    try:
        closes = parse_datetime_input(text, services.settings.timezone, services.clock.now())
        await services.diagnostics.campaigns.update_draft(member.user_id, closes_at=closes)
    except DateTimeInputError as error:
        await say(update, datetime_error_text(t, error))
        return CLOSES_STATE
    except DiagnosticError as error:
        if error.code != "closes_before_opens":
            return await refuse(update, t, error)
        draft = await services.diagnostics.campaigns.draft(member.user_id)
        opens = t.datetime(draft.opens_at) if draft.opens_at else ""
        await say(update, t("diagnostic.launch.closes_before_opens", opens=opens))
        return CLOSES_STATE
    text, rows = plan_view(t)
    await say(update, text, keyboard(rows))
    return ConversationHandler.END
