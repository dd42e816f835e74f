"""The map-like overview: cards per territory as horizontal bars, a PNG (matplotlib, Agg)."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

COLOUR = "#1f4e8c"
MAX_TERRITORIES = 25
LABEL_WIDTH = 30


def territory_chart(counts: Sequence[tuple[str, int]], title: str, axis: str, others: str) -> bytes:
    """One bar per territory (the largest first; beyond 25, one ``others`` bar); PNG bytes."""
    shown = list(counts[:MAX_TERRITORIES])
    rest = sum(count for _, count in counts[MAX_TERRITORIES:])
    if rest:
        shown.append((others, rest))
    labels = [textwrap.shorten(label, LABEL_WIDTH, placeholder="…") for label, _ in shown]
    values = [count for _, count in shown]
    figure = Figure(figsize=(8, 1.4 + 0.4 * max(len(shown), 1)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.barh(range(len(values)), values, color=COLOUR)
    axes.bar_label(bars, padding=3, fontsize=9)
    axes.set_yticks(range(len(labels)), labels)
    axes.invert_yaxis()
    axes.set_xlabel(axis)
    axes.set_title(title)
    axes.set_xlim(0, max(values, default=1) * 1.15 + 0.5)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
