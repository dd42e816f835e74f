"""What members see: the digests the animators published, newest first."""

from __future__ import annotations

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member
from bot.domain.stats.model import Month
from bot.domain.stats.text import month_name, month_text
from bot.i18n import Translator
from conversations.common import (
    acknowledge,
    markup_of,
    member_only,
    replace_with,
    say,
    unpack_press,
)
from schedules.stats.buttons import SEEN


async def published_view(
    context: MaillageContext, t: Translator, month: Month | None
) -> tuple[str, list[list[tuple[str, str]]]] | None:
    """The published digest of ``month`` (None: the latest) and the other months; None if absent."""
    stats = context.services.stats
    digests = await stats.published()
    chosen = next((d for d in digests if month is None or d.month == month), None)
    if chosen is None or chosen.figures is None:
        return None
    text = str(month_text(t, chosen.figures, stats.threshold, "stats.digest_title"))
    others = [d for d in digests if d.month != chosen.month]
    rows = [[(month_name(t, d.month), SEEN.pack(m=d.month.key))] for d in others]
    if others:
        text += "\n\n" + str(t("stats.published_others"))
    return text, rows


async def show_published(
    update: Update, context: MaillageContext, t: Translator, month: Month | None
) -> None:
    """Send the latest published digest, or say none was published yet."""
    view = await published_view(context, t, month)
    if view is None:
        await say(update, t("stats.nothing_published"))
        return
    await say(update, view[0], markup_of(view[1]))


@member_only()
async def on_seen(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A member opens another published month."""
    data = await unpack_press(update, t, SEEN, lambda d: Month.parse(d["m"]) is not None)
    if data is None:
        return
    view = await published_view(context, t, Month.parse(data["m"]))
    if view is None:  # not (or no longer) published: a stale or forged press
        assert update.callback_query is not None
        await acknowledge(update.callback_query, t("buttons.expired"))
        return
    await replace_with(update, view[0], view[1])
