"""The draft's panel: the preview, the audience and urgency, shown again in place after a change."""

from __future__ import annotations

from functools import partial

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.newsletter.model import BroadcastKind
from bot.i18n import Translator
from conversations.common import (
    acknowledge,
    markup_of,
    member_only,
    notify,
    replace_with,
    say,
    unpack_press,
)
from conversations.newsletter.broadcast import (
    BUTTON_ACTION,
    KINDS,
    State,
    prepared_draft,
    text_state,
)
from conversations.newsletter.views import AUD, SEG, back_row, panel_view
from conversations.segment_picker import FIELD_CHOICES, chosen, field_rows, value_rows
from schedules.newsletter.messages import broadcast_content


async def preview(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Send the broadcast as members will see it, then the panel under it."""
    services = context.services
    prepared = await prepared_draft(update, context, member, t, kind)
    if prepared is None:
        return text_state(kind)
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    message = broadcast_content(prepared.composition, kind, services.translator).for_language(
        t.language
    )
    for number, part in enumerate(message.parts, start=1):
        last = number == len(message.parts)
        markup = InlineKeyboardMarkup.de_json(message.keyboard, context.bot) if last else None
        await say(update, part, markup)
    text, rows = panel_view(t, kind, prepared)
    await say(update, text, markup_of(rows))
    return ConversationHandler.END


async def show_panel(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Show the panel again in place (after a change of audience or urgency, or 'back')."""
    prepared = await prepared_draft(update, context, member, t, kind)
    if prepared is None:
        return text_state(kind)
    await replace_with(update, *panel_view(t, kind, prepared))
    return ConversationHandler.END


async def toggle_urgent(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Urgent (through quiet hours) or not."""
    await context.services.newsletters.toggle_urgent(member.user_id, kind)
    return await show_panel(update, context, member, t, kind)


async def choose_audience(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Who receives it: the whole network, or a field to choose a value of."""
    rows = await field_rows(t, context.services.segments, lambda f: AUD.pack(k=kind.value, f=f))
    await replace_with(update, t("newsletter.panel.choose_field"), [*rows, back_row(t, kind)])
    return ConversationHandler.END


@member_only(Role.ANIMATOR, BUTTON_ACTION)
async def on_field(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """Everyone, or the values of a field to choose from."""
    data = await unpack_press(update, t, AUD, lambda d: d["k"] in KINDS and d["f"] in FIELD_CHOICES)
    if data is None:
        return None
    kind = KINDS[data["k"]]
    segment = await chosen(context.services.segments, data["f"])
    if segment is not None:
        await context.services.newsletters.set_segment(member.user_id, kind, segment)
        return await show_panel(update, context, member, t, kind)
    pack = partial(_pack_segment, kind)
    rows = await value_rows(t, context.services.segments, data["f"], pack)
    if not rows:
        await notify(update, t("newsletter.panel.no_value"))
        return None
    await replace_with(update, t("newsletter.panel.choose_value"), [*rows, back_row(t, kind)])
    return None


def _pack_segment(kind: BroadcastKind, field: str, key: str) -> str:
    return SEG.pack(k=kind.value, f=field, v=key)


@member_only(Role.ANIMATOR, BUTTON_ACTION)
async def on_segment(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """A territory, organisation or role was chosen."""
    data = await unpack_press(update, t, SEG, lambda d: d["k"] in KINDS)
    segment = await chosen(context.services.segments, data["f"], data["v"]) if data else None
    if data is None or segment is None:
        if data is not None:
            await notify(update, t("buttons.expired"))
        return None
    kind = KINDS[data["k"]]
    await context.services.newsletters.set_segment(member.user_id, kind, segment)
    return await show_panel(update, context, member, t, kind)
