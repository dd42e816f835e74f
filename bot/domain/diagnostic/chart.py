"""The per-theme chart of a campaign as a PNG: one bar per theme, or two waves side by side.

Drawn with matplotlib's object API on the Agg canvas (no display, no global pyplot state),
so it can run in a worker thread.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
    height = 0.8 / len(series)
    rows = range(len(themes))
    for index, values in enumerate(series):
        offsets = [row + (index - (len(series) - 1) / 2) * height for row in rows]
        widths = [(value - SCALE_MIN) if value is not None else 0 for value in values]
        bars = axes.barh(
            offsets,
            widths,
            height=height * 0.9,
            left=SCALE_MIN,
            color=COLOURS[index + len(COLOURS) - len(series)],
            label=text.series[index],
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
    if len(series) == 2:
        for row, (before, after) in enumerate(zip(series[0], series[1], strict=True)):
            if before is not None and after is not None:
                axes.text(
                    SCALE_MAX + 0.45,
                    row,
                    change(after - before),
                    va="center",
                    fontsize=10,
                    fontweight="bold",
                    color="#1f7a1f" if after >= before else "#a32020",
                )
    axes.set_yticks(list(rows), [textwrap.fill(label, LABEL_WIDTH) for label in themes])
    axes.invert_yaxis()
    axes.set_xlim(SCALE_MIN, SCALE_MAX + (0.9 if len(series) == 2 else 0.4))
    axes.set_xticks(range(SCALE_MIN, SCALE_MAX + 1))
    axes.set_xlabel(text.axis)
    axes.set_title(text.title, pad=24 if len(series) == 2 else 6)
    axes.grid(axis="x", alpha=0.3)
    if len(series) == 2:
        axes.legend(
            loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False
        )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
