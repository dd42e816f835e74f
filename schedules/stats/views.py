"""How the figures show to an animator: a month or the 12 months, with their buttons.

Shared by ``/stats`` and the monthly prompt (a job cannot import the handlers).
"""

from __future__ import annotations

from markupsafe import Markup

from bot.domain.stats.model import MonthFigures
from bot.domain.stats.text import month_text, year_text
from bot.i18n import Translator
from bot.localized import Rows
from schedules.stats.buttons import CHART, EXPORT, MENU, PUBLISH, YEAR


def file_buttons(t: Translator, period: str) -> list[tuple[str, str]]:
    """Chart, CSV and JSON of a period (a month key or ``year``)."""
    return [
        (t("stats.button.chart"), CHART.pack(m=period)),
        (t("stats.button.csv"), EXPORT.pack(m=period, f="csv")),
        (t("stats.button.json"), EXPORT.pack(m=period, f="json")),
    ]


def month_view(
    t: Translator, figures: MonthFigures, k: int, publishable: bool, back: bool = True
) -> tuple[Markup, Rows]:
    """A month's figures; the publish button once the month is over and not empty."""
    rows: list[list[tuple[str, str]]] = [file_buttons(t, figures.month.key)]
    if publishable and not figures.empty:
        rows.append([(t("stats.button.publish"), PUBLISH.pack(m=figures.month.key))])
    if back:
        rows.append([(t("stats.button.back"), MENU.pack())])
    return month_text(t, figures, k, "stats.title"), rows


def year_view(t: Translator, year: list[MonthFigures], k: int) -> tuple[Markup, Rows]:
    """The 12 months, their files, and the way back."""
    rows: Rows = [file_buttons(t, YEAR), [(t("stats.button.back"), MENU.pack())]]
    return year_text(t, year, k), rows
