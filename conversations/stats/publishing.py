"""Publishing a month's digest: the animator previews it as members will get it, then confirms."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.stats.model import StatsError
from bot.domain.stats.text import month_name
from bot.i18n import Translator
from conversations.common import (
    acknowledge,
    keyboard,
    member_only,
    replace_with,
    say,
    unpack_press,
)
from conversations.stats.common import period_of
from schedules.stats.buttons import CANCEL, CONFIRM, PUBLISH
from schedules.stats.digest import audience_size, digest_message, publish


def _refusal(t: Translator, error: StatsError) -> str:
    when = error.params.get("when")
    return str(t(f"stats.publish.{error.code}", when=t.datetime(when) if when else "—"))


@member_only(Role.ANIMATOR, "stats_preview")
async def on_publish(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Show the digest exactly as members will receive it, and ask for confirmation."""
    services = context.services
    stats = services.stats
    data = await unpack_press(update, t, PUBLISH, lambda d: period_of(stats, d["m"])[1] is not None)
    if data is None:
        return
    assert update.callback_query is not None
    _, month = period_of(stats, data["m"])
    assert month is not None
    await acknowledge(update.callback_query)
    digest = await stats.digest(month)
    if digest is not None and digest.published_at is not None:
        await say(update, _refusal(t, StatsError("already", when=digest.published_at)))
        return
    figures = await stats.month(month)
    if month >= stats.current_month() or figures.empty:
        await say(update, t("stats.publish.future" if not figures.empty else "stats.publish.empty"))
        return
    message = digest_message(t, figures, stats.threshold)
    await say(update, t("stats.publish.preview"))
    markup = InlineKeyboardMarkup.de_json(message.keyboard, None) if message.keyboard else None
    await say(update, message.parts[0], markup)
    _, count = await audience_size(services)
    rows = [
        [
            (t("stats.button.confirm"), CONFIRM.pack(m=month.key)),
            (t("stats.button.cancel"), CANCEL.pack()),
        ]
    ]
    await say(
        update,
        t("stats.publish.confirm", month=month_name(t, month), members=count),
        keyboard(rows),
    )


@member_only(Role.ANIMATOR, "stats_publish")
async def on_confirm(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Publish: one send through the delivery engine; refused if already out or empty."""
    stats = context.services.stats
    data = await unpack_press(update, t, CONFIRM, lambda d: period_of(stats, d["m"])[1] is not None)
    if data is None:
        return
    _, month = period_of(stats, data["m"])
    assert month is not None
    try:
        count = await publish(context.application, context.services, member.user_id, month)
    except StatsError as error:
        await replace_with(update, _refusal(t, error))
        return
    await replace_with(update, t("stats.publish.done", month=month_name(t, month), members=count))


@member_only(Role.ANIMATOR, "stats_cancel")
async def on_cancel(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Drop the preview."""
    if await unpack_press(update, t, CANCEL) is None:
        return
    await replace_with(update, t("stats.publish.cancelled"))
