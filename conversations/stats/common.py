"""What every statistics button needs: the period a payload names, checked (forged: None)."""

from __future__ import annotations

from bot.domain.stats.model import Month
from bot.domain.stats.service import StatsService
from schedules.stats.buttons import YEAR

Period = Month | None
"""A month, or None for the 12 months ending with the current one."""


def period_of(stats: StatsService, value: str) -> tuple[bool, Period]:
    """(valid, period) for a payload's ``m``: ``year`` or a month that can be shown."""
    if value == YEAR:
        return True, None
    month = Month.parse(value)
    if month is None or not stats.valid(month):
        return False, None
    return True, month


def period_key(period: Period) -> str:
    """The payload value of a period."""
    return YEAR if period is None else period.key
