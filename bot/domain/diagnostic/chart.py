"""The per-theme chart of a campaign as a PNG: one bar per theme, or two waves side by side.

Drawn with matplotlib's object API on the Agg canvas (no display, no global pyplot state),
so it can run in a worker thread.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

SCALE_MIN, SCALE_MAX = 1, 5
COLOURS = ("#9db4d6", "#1f4e8c")
LABEL_WIDTH = 28


@dataclass(frozen=True)
class ChartText:
    """The chart's words, in the reader's language."""

    title: str
    axis: str
    series: tuple[str, ...]


def theme_chart(
    themes: Sequence[str],
    series: Sequence[Sequence[float | None]],
    text: ChartText,
    number: Callable[[float], str],
    change: Callable[[float], str],
) -> bytes:
    """Horizontal bars of each theme's score (1–5) for one or two series; PNG bytes.

    With two series (an earlier wave, then this one) the change is written after each
    pair. ``number`` and ``change`` format values in the reader's language.
    """
    if not 1 <= len(series) <= len(COLOURS) or len(series) != len(text.series):
        raise ValueError("one or two series, each with its label")
    figure = Figure(figsize=(8, 1.2 + 0.75 * len(themes)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for index, values in enumerate(series):
        _draw_series(axes, len(themes), index, len(series), values, text.series[index], number)
    compared = len(series) == 2
    if compared:
        _write_changes(axes, series[0], series[1], change)
    _dress(axes, themes, text, compared)
    return _png(figure)


def _draw_series(
    axes: Axes,
    rows: int,
    index: int,
    count: int,
    values: Sequence[float | None],
    label: str,
    number: Callable[[float], str],
) -> None:
    """Series ``index`` of ``count`` side by side: a bar per theme row, labelled with its value."""
    height = 0.8 / count
    offsets = [row + (index - (count - 1) / 2) * height for row in range(rows)]
    widths = [(value - SCALE_MIN) if value is not None else 0 for value in values]
    bars = axes.barh(
        offsets,
        widths,
        height=height * 0.9,
        left=SCALE_MIN,
        color=COLOURS[index + len(COLOURS) - count],
        label=label,
    )
    for bar, value in zip(bars, values, strict=True):
        if value is not None:
            axes.text(
                SCALE_MIN + (value - SCALE_MIN) + 0.05,
                bar.get_y() + bar.get_height() / 2,
                number(value),
                va="center",
                fontsize=9,
            )


def _write_changes(
    axes: Axes,
    before: Sequence[float | None],
    after: Sequence[float | None],
    change: Callable[[float], str],
) -> None:
    """The change from the earlier wave, after each theme's pair of bars (green up, red down)."""
    for row, (earlier, later) in enumerate(zip(before, after, strict=True)):
        if earlier is not None and later is not None:
            axes.text(
                SCALE_MAX + 0.45,
                row,
                change(later - earlier),
                va="center",
                fontsize=10,
                fontweight="bold",
                color="#1f7a1f" if later >= earlier else "#a32020",
            )


def _dress(axes: Axes, themes: Sequence[str], text: ChartText, compared: bool) -> None:
    """Theme labels, the 1–5 scale, title, grid, and a legend when two waves are compared."""
    axes.set_yticks(range(len(themes)), [textwrap.fill(label, LABEL_WIDTH) for label in themes])
    axes.invert_yaxis()
    axes.set_xlim(SCALE_MIN, SCALE_MAX + (0.9 if compared else 0.4))
    axes.set_xticks(range(SCALE_MIN, SCALE_MAX + 1))
    axes.set_xlabel(text.axis)
    axes.set_title(text.title, pad=24 if compared else 6)
    axes.grid(axis="x", alpha=0.3)
    if compared:
        axes.legend(
            loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False
        )


def _png(figure: Figure) -> bytes:
    """The laid-out figure as PNG bytes."""
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
