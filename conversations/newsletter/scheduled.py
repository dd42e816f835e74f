"""Broadcasts already launched: the scheduled ones and their cancelling, resending from a report."""

from __future__ import annotations

from telegram import Update
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
from conversations.newsletter.broadcast import BUTTON_ACTION, KINDS, State
from conversations.newsletter.views import CANCEL, waiting_view
from schedules.newsletter.buttons import RESEND
from schedules.newsletter.jobs import resend


async def list_waiting(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """The scheduled sends, each with its cancel button."""
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    text, rows = waiting_view(t, kind, await context.services.newsletters.waiting(kind))
    await say(update, text, markup_of(rows))
    return ConversationHandler.END


@member_only(Role.ANIMATOR, BUTTON_ACTION)
async def on_cancel(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """Cancel a scheduled send, then list what is still scheduled."""
    data = await unpack_press(update, t, CANCEL, lambda d: d["k"] in KINDS and d["s"].isdigit())
    if data is None:
        return None
    kind = KINDS[data["k"]]
    letters = context.services.newsletters
    waiting = {item.send_id: item for item in await letters.waiting(kind)}
    item = waiting.get(int(data["s"]))
    if item is None or not await letters.cancel(item.send_id, kind):
        await notify(update, t("newsletter.outcome.not_cancelled"))
        return None
    done = t("newsletter.outcome.cancelled", when=t.datetime(item.due_at))
    text, rows = waiting_view(t, kind, await letters.waiting(kind))
    await replace_with(update, f"{done}\n\n{text}", rows)
    return None


@member_only(Role.ANIMATOR, "broadcast_resend")
async def on_resend(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> State:
    """The report's explicit button: send again to the failed and unknown recipients."""
    data = await unpack_press(update, t, RESEND, lambda d: d["s"].isdigit())
    services = context.services
    broadcast = await services.newsletters.broadcast(int(data["s"])) if data else None
    if broadcast is None:
        if data is not None:
            await notify(update, t("buttons.expired"))
        return None
    count = await resend(context.application, services, broadcast.send_id)
    if not count:
        await notify(update, t("newsletter.outcome.nothing_to_resend"))
        return None
    await acknowledge(update.callback_query)
    await say(update, t("newsletter.outcome.resent", count))
    return None
