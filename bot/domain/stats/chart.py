"""The 12-month chart as a PNG: members (registered, active) above, participation below.

Drawn with matplotlib's object API on the Agg canvas. A figure hidden under k is never
drawn: its place stays empty and carries « < k », as in the text and the exports.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.domain.stats.model import Metric, MonthFigures

TOP = (Metric.MEMBERS_REGISTERED, Metric.MEMBERS_ACTIVE)
BOTTOM = (
    Metric.DIAGNOSTIC_RESPONSES,
    Metric.VISIO_VOTERS,
    Metric.VISIO_ATTENDED,
    Metric.CODEV_PARTICIPANTS,
)
COLOURS = ("#1f4e8c", "#9db4d6", "#e07b39", "#4f9a5a", "#8c5fb0", "#c9a227")


@dataclass(frozen=True)
class ChartText:
    """The chart's words in the reader's language: titles, month labels, series, the k note."""

    title: str
    upper_title: str
    lower_title: str
    months: tuple[str, ...]
    series: dict[Metric, str]
    hidden: str
    note: str


def year_chart(year: Sequence[MonthFigures], text: ChartText) -> bytes:
    """Two panels over the months of ``year``; PNG bytes."""
    figure = Figure(figsize=(9, 7), dpi=100)
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1)
    _lines(top, year, TOP, text)
    _bars(bottom, year, BOTTOM, text)
    figure.suptitle(text.title)
    top.set_title(text.upper_title, fontsize=10)
    bottom.set_title(text.lower_title, fontsize=10)
    figure.text(0.01, 0.005, text.note, fontsize=8, color="#555555")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _values(year: Sequence[MonthFigures], metric: Metric) -> list[float | None]:
    """The shown values; None for a hidden or missing figure."""
    return [None if f.cells[metric].hidden else f.cells[metric].value for f in year]


def _hidden(year: Sequence[MonthFigures], metric: Metric) -> list[bool]:
    return [f.cells[metric].hidden for f in year]


def _lines(
    axes: Axes, year: Sequence[MonthFigures], metrics: Sequence[Metric], text: ChartText
) -> None:
    """A line per metric; a hidden month breaks the line and shows « < k » at the bottom."""
    positions = range(len(year))
    for index, metric in enumerate(metrics):
        values = [float("nan") if v is None else v for v in _values(year, metric)]
        axes.plot(positions, values, marker="o", color=COLOURS[index], label=text.series[metric])
        for x, hidden in zip(positions, _hidden(year, metric), strict=True):
            if hidden:
                axes.annotate(text.hidden, (x, 0), ha="center", fontsize=7, color=COLOURS[index])
    _dress(axes, text)


def _bars(
    axes: Axes, year: Sequence[MonthFigures], metrics: Sequence[Metric], text: ChartText
) -> None:
    """Grouped bars per month; a hidden figure draws no bar, only « < k »."""
    width = 0.8 / len(metrics)
    for index, metric in enumerate(metrics):
        offsets = [x + (index - (len(metrics) - 1) / 2) * width for x in range(len(year))]
        values = _values(year, metric)
        heights = [v or 0 for v in values]
        colour = COLOURS[index + len(TOP)]
        axes.bar(offsets, heights, width=width * 0.9, color=colour, label=text.series[metric])
        for x, hidden in zip(offsets, _hidden(year, metric), strict=True):
            if hidden:
                axes.text(x, 0, text.hidden, ha="center", va="bottom", fontsize=6, rotation=90)
    _dress(axes, text)


def _dress(axes: Axes, text: ChartText) -> None:
    """Month labels, whole-number axis from zero, grid and legend."""
    axes.set_xticks(range(len(text.months)), text.months, fontsize=8)
    axes.set_ylim(bottom=0)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(fontsize=8, loc="upper left", frameon=False)
