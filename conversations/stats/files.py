"""The statistics as files for the animators: the 12-month chart (PNG), CSV and JSON.

Every file holds the masked figures only: nothing under k, in any format.
"""

from __future__ import annotations

import asyncio
import html

from telegram import InputFile, Update

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.stats.chart import BOTTOM, TOP, ChartText, year_chart
from bot.domain.stats.export import ExportContext, stats_csv, stats_json
from bot.domain.stats.model import Metric, MonthFigures
from bot.domain.stats.text import month_name
from bot.i18n import Translator
from conversations.common import acknowledge, member_only, unpack_press
from conversations.stats.common import Period, period_key, period_of
from schedules.stats.buttons import CHART, EXPORT

FORMATS = ("csv", "json")


def _plain(text: object) -> str:
    """A catalog text outside Telegram's HTML (chart, files)."""
    return html.unescape(str(text))


def chart_text(t: Translator, year: list[MonthFigures], k: int) -> ChartText:
    """The chart's words in the reader's language."""
    first, last = month_name(t, year[0].month), month_name(t, year[-1].month)
    return ChartText(
        title=_plain(t("stats.chart.title", first=first, last=last)),
        upper_title=_plain(t("stats.chart.members")),
        lower_title=_plain(t("stats.chart.participation")),
        months=tuple(f"{f.month.month:02d}/{f.month.year % 100:02d}" for f in year),
        series={m: _plain(t(f"stats.metric.{m}")) for m in (*TOP, *BOTTOM)},
        hidden=_plain(t("stats.value.hidden", k=k)),
        note=_plain(t("stats.chart.note", k=k)),
    )


def export_context(context: MaillageContext, t: Translator) -> ExportContext:
    """The files' description of themselves, in the reader's language."""
    services = context.services
    return ExportContext(
        network=services.settings.network_name,
        language=t.language,
        timezone=str(services.settings.timezone),
        threshold=services.stats.threshold,
        generated_at=services.clock.now(),
        labels={m: _plain(t(f"stats.metric.{m}")) for m in Metric},
        headers=(
            _plain(t("stats.export.month")),
            _plain(t("stats.export.metric")),
            _plain(t("stats.export.code")),
            _plain(t("stats.export.value")),
        ),
        hidden=_plain(t("stats.value.hidden", k=services.stats.threshold)),
    )


async def _figures(context: MaillageContext, period: Period) -> list[MonthFigures]:
    stats = context.services.stats
    return await stats.year() if period is None else [await stats.month(period)]


@member_only(Role.ANIMATOR, "stats_chart")
async def on_chart(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """The chart of the 12 months ending with the chosen month (or now)."""
    stats = context.services.stats
    data = await unpack_press(update, t, CHART, lambda d: period_of(stats, d["m"])[0])
    if data is None:
        return
    assert update.callback_query is not None and update.effective_chat is not None
    await acknowledge(update.callback_query)
    _, month = period_of(stats, data["m"])
    year = await stats.year(month)
    png = await asyncio.to_thread(year_chart, year, chart_text(t, year, stats.threshold))
    first, last = month_name(t, year[0].month), month_name(t, year[-1].month)
    await update.effective_chat.send_photo(
        InputFile(png, filename=f"stats_{period_key(month)}.png"),
        caption=t("stats.chart_caption", first=first, last=last, k=stats.threshold),
    )


@member_only(Role.ANIMATOR, "stats_export")
async def on_export(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The chosen period's figures as CSV (BOM, ``;``) or JSON (see schema.json)."""
    stats = context.services.stats
    data = await unpack_press(
        update, t, EXPORT, lambda d: period_of(stats, d["m"])[0] and d["f"] in FORMATS
    )
    if data is None:
        return
    assert update.callback_query is not None and update.effective_chat is not None
    await acknowledge(update.callback_query)
    _, period = period_of(stats, data["m"])
    months = await _figures(context, period)
    described = export_context(context, t)
    write = stats_csv if data["f"] == "csv" else stats_json
    name = _plain(t("stats.filename", period=period_key(period)))
    first, last = month_name(t, months[0].month), month_name(t, months[-1].month)
    caption = t(
        "stats.export_caption",
        what=t(f"stats.export.{data['f']}"),
        first=first,
        last=last,
        k=stats.threshold,
    )
    await update.effective_chat.send_document(
        InputFile(write(months, described), filename=f"{name}.{data['f']}"), caption=caption
    )
