"""The masking rules: no figure that counts fewer than k people is ever shown.

A count of people from 1 to k − 1 is hidden (shown as « < k »); zero is shown, since it
points at nobody. Counts of events (sessions held, campaigns, letters) are not about people
and are shown as they are. A ratio is shown only when every count it is made of is at
least k: the participation rate needs k invited and k responses, the satisfaction mean k
ratings.
"""

from __future__ import annotations

from bot.domain.stats.model import (
    NATURES,
    RATING_TOTAL,
    Cell,
    Counts,
    Metric,
    Month,
    MonthFigures,
    Nature,
)


def people(count: int, k: int) -> Cell:
    """A count of people: hidden from 1 to k − 1."""
    return Cell(None, hidden=True) if 0 < count < k else Cell(count)


def _ratio(numerator: float, bases: tuple[int, ...], k: int) -> Cell:
    """``numerator / bases[0]``, hidden unless every base reaches k."""
    if not bases[0]:
        return Cell(None)
    if any(0 < base < k for base in bases):
        return Cell(None, hidden=True)
    return Cell(round(numerator / bases[0], 2))


def mask(month: Month, counts: Counts, k: int) -> MonthFigures:
    """The month's figures as they may be shown to anyone, from its raw counts."""

    def count(metric: Metric) -> int:
        return int(counts.get(metric.value, 0))

    cells: dict[Metric, Cell] = {}
    for metric in Metric:
        nature = NATURES[metric]
        if nature is Nature.EVENTS:
            cells[metric] = Cell(count(metric))
        elif nature is Nature.PEOPLE:
            cells[metric] = people(count(metric), k)
    invited, answered = count(Metric.DIAGNOSTIC_INVITED), count(Metric.DIAGNOSTIC_RESPONSES)
    cells[Metric.DIAGNOSTIC_RATE] = _ratio(100 * answered, (invited, answered), k)
    ratings = count(Metric.VISIO_RATINGS)
    cells[Metric.VISIO_SATISFACTION] = _ratio(int(counts.get(RATING_TOTAL, 0)), (ratings,), k)
    return MonthFigures(month, {metric: cells[metric] for metric in Metric})
