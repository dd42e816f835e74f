"""How the figures read in a language: values, month names, the month's text, the year's."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from bot.domain.stats.model import Cell, Metric, Month, MonthFigures
from bot.i18n import Translator

SECTIONS: tuple[tuple[str, tuple[Metric, ...]], ...] = tuple(
    (section, tuple(m for m in Metric if m.value.startswith(section + "_")))
    for section in ("members", "diagnostic", "visio", "codev", "newsletter")
)
"""The metrics grouped as the text shows them, one heading per feature."""
YEAR_COLUMNS = (
    Metric.MEMBERS_REGISTERED,
    Metric.MEMBERS_ACTIVE,
    Metric.DIAGNOSTIC_RESPONSES,
    Metric.VISIO_VOTES,
    Metric.VISIO_ATTENDED,
    Metric.CODEV_SESSIONS,
    Metric.NEWSLETTER_DELIVERED,
)
"""The figures the 12-month overview shows for each month."""


def month_name(t: Translator, month: Month) -> str:
    """``mars 2030`` / ``March 2030``."""
    return format_date(date(month.year, month.month, 1), "LLLL yyyy", locale=t.language)


def value_text(t: Translator, metric: Metric, cell: Cell, k: int) -> Markup:
    """A figure as read: a number, a rate, a mean on 5, « < k » when hidden, « — » when none."""
    if cell.hidden:
        return t("stats.value.hidden", k=k)
    if cell.value is None:
        return t("stats.value.none")
    if metric is Metric.DIAGNOSTIC_RATE:
        number = format_decimal(cell.value, "#,##0", locale=t.language)
        return t("stats.value.percent", value=number)
    if metric is Metric.VISIO_SATISFACTION:
        number = format_decimal(cell.value, "#,##0.0", locale=t.language)
        return t("stats.value.mean", value=number)
    return Markup.escape(format_decimal(cell.value, "#,##0", locale=t.language))


def month_text(t: Translator, figures: MonthFigures, k: int, title_key: str) -> Markup:
    """The month's figures, section by section, with the note about k."""
    lines = [t(title_key, month=month_name(t, figures.month))]
    if figures.empty:
        lines.append(t("stats.no_data"))
    for section, metrics in SECTIONS:
        lines.append(Markup("\n") + t(f"stats.section.{section}"))
        for metric in metrics:
            value = value_text(t, metric, figures.cells[metric], k)
            lines.append(t("stats.line", label=t(f"stats.metric.{metric}"), value=value))
    lines.append(Markup("\n") + t("stats.active_note"))
    lines.append(t("stats.k_note", k=k))
    return Markup("\n").join(lines)


def year_text(t: Translator, year: list[MonthFigures], k: int) -> Markup:
    """The 12-month overview: one line per month with the main figures."""
    first, last = month_name(t, year[0].month), month_name(t, year[-1].month)
    lines = [t("stats.year.title", first=first, last=last), t("stats.year.legend")]
    for figures in year:
        values = Markup(" · ").join(value_text(t, m, figures.cells[m], k) for m in YEAR_COLUMNS)
        lines.append(t("stats.year.line", month=month_name(t, figures.month), values=values))
    lines.append(Markup("\n") + t("stats.k_note", k=k))
    return Markup("\n").join(lines)
