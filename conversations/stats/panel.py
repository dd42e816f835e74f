"""/stats for the animators: the choice of month, a month's or the 12 months' figures.

Members get the published digests instead (``conversations.stats.member``). Every button
re-checks the role (refusals audited) and answers forged or stale payloads with
"ce bouton a expiré".
"""

from __future__ import annotations

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.stats.model import MONTHS_SHOWN
from bot.domain.stats.text import month_name
from bot.i18n import Translator
from conversations.common import keyboard, member_only, replace_with, say, unpack_press
from conversations.stats.common import period_of
from conversations.stats.member import show_published
from schedules.stats.buttons import MENU, MONTHLY, VIEW, YEAR
from schedules.stats.jobs import arm
from schedules.stats.views import month_view, year_view

MONTHS_PER_ROW = 3


async def menu_view(
    context: MaillageContext, t: Translator
) -> tuple[str, list[list[tuple[str, str]]]]:
    """The choice: the 12 months, each of them (newest first), the monthly switch."""
    stats = context.services.stats
    months = list(reversed(stats.current_month().last(MONTHS_SHOWN)))
    rows = [[(t("stats.button.year"), VIEW.pack(m=YEAR))]]
    for start in range(0, len(months), MONTHS_PER_ROW):
        chunk = months[start : start + MONTHS_PER_ROW]
        rows.append([(month_name(t, m), VIEW.pack(m=m.key)) for m in chunk])
    on = await stats.schedule_enabled() is not None
    label = t("stats.button.monthly_off" if on else "stats.button.monthly_on")
    rows.append([(label, MONTHLY.pack(on="0" if on else "1"))])
    return str(t("stats.choose", k=stats.threshold)), rows


@member_only()
async def stats_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/stats: the animators choose what to see; members read what was published."""
    if not member.has_role(Role.ANIMATOR):
        await show_published(update, context, t, None)
        return
    text, rows = await menu_view(context, t)
    await say(update, text, keyboard(rows))


@member_only(Role.ANIMATOR, "stats_menu")
async def on_menu(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Back to the choice of month."""
    if await unpack_press(update, t, MENU) is None:
        return
    text, rows = await menu_view(context, t)
    await replace_with(update, text, rows)


@member_only(Role.ANIMATOR, "stats_view")
async def on_view(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A month's figures, or the 12 months'."""
    stats = context.services.stats
    data = await unpack_press(update, t, VIEW, lambda d: period_of(stats, d["m"])[0])
    if data is None:
        return
    _, month = period_of(stats, data["m"])
    if month is None:
        text, rows = year_view(t, await stats.year(), stats.threshold)
    else:
        publishable = month < stats.current_month()
        text, rows = month_view(t, await stats.month(month), stats.threshold, publishable)
    await replace_with(update, text, rows)


@member_only(Role.ANIMATOR, "stats_monthly")
async def on_monthly(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Switch the monthly preparation on or off."""
    data = await unpack_press(update, t, MONTHLY, lambda d: d["on"] in ("0", "1"))
    if data is None:
        return
    on = data["on"] == "1"
    await context.services.stats.set_schedule(on)
    await arm(context.application, context.services)
    text, rows = await menu_view(context, t)
    await replace_with(update, text, rows)
    await say(update, t("stats.monthly.on" if on else "stats.monthly.off"))
