"""Sending a broadcast: to the animator alone, now after a confirmation, or at a typed time."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import MaillageContext
from bot.domain.datetime_input import DateTimeInputError, parse_datetime_input
from bot.domain.members import Member, Role
from bot.domain.newsletter.model import BroadcastKind, NewsletterError
from bot.i18n import Translator
from conversations.common import acknowledge, member_only, replace_with, say
from conversations.dates import datetime_error_text
from conversations.newsletter.broadcast import State, command_of, prepared_draft, refuse, when_state
from conversations.newsletter.views import confirm_view, launched_text, panel_view
from schedules.newsletter.jobs import launch, send_test


@member_only(Role.ANIMATOR, "broadcast_when")
async def on_when(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """The date and time it goes out, typed in the network's zone."""
    message = update.effective_message
    assert message is not None and message.text is not None
    services = context.services
    try:
        due_at = parse_datetime_input(
            message.text, services.settings.timezone, services.clock.now()
        )
    except DateTimeInputError as error:
        await say(update, datetime_error_text(t, error))
        return when_state(kind)
    try:
        launched = await launch(context.application, services, member.user_id, kind, due_at)
    except NewsletterError as error:
        await refuse(update, t, error)
        return ConversationHandler.END
    await say(update, launched_text(t, kind, launched, command_of(t, kind)))
    return ConversationHandler.END


async def test_to_self(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Send it to the animator alone, through the delivery engine."""
    try:
        count = await send_test(
            context.application, context.services, member.user_id, t.language, kind
        )
    except NewsletterError as error:
        await refuse(update, t, error)
        return ConversationHandler.END
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    await say(update, t("newsletter.outcome.test", count))
    return ConversationHandler.END


async def confirm_now(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Ask once more before sending now (or say that nobody would receive it)."""
    prepared = await prepared_draft(update, context, member, t, kind)
    if prepared is None:
        return ConversationHandler.END
    if not prepared.audience.eligible:
        await replace_with(update, *panel_view(t, kind, prepared))
        return ConversationHandler.END
    await replace_with(update, *confirm_view(t, kind, prepared))
    return ConversationHandler.END


async def send_now(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Send now."""
    try:
        launched = await launch(context.application, context.services, member.user_id, kind)
    except NewsletterError as error:
        await refuse(update, t, error)
        return ConversationHandler.END
    await replace_with(update, launched_text(t, kind, launched, command_of(t, kind)))
    return ConversationHandler.END


async def ask_when(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Ask when it should go out."""
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    await say(update, t("newsletter.panel.ask_when", zone=str(t.timezone)))
    return when_state(kind)
