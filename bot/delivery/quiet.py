"""Quiet hours: a member's daily period, in the network's wall-clock time, when sends wait.

A non-urgent send gives the rows of members inside their quiet period a ``not_before`` at
the end of that period; the engine holds those rows until then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class QuietHours:
    """From ``starts`` to ``ends`` every day (overnight when ``ends`` comes first)."""

    starts: time
    ends: time

    def __post_init__(self) -> None:
        if self.starts == self.ends:
            raise ValueError("quiet hours need different start and end times")
        if self.starts.tzinfo is not None or self.ends.tzinfo is not None:
            raise ValueError("quiet hours are wall-clock times, without a zone")

    @classmethod
    def from_minutes(cls, starts: int, ends: int) -> QuietHours:
        """Quiet hours from minutes after midnight, as stored."""
        return cls(_clock(starts), _clock(ends))

    @property
    def minutes(self) -> tuple[int, int]:
        """(start, end) in minutes after midnight, as stored."""
        return self.starts.hour * 60 + self.starts.minute, self.ends.hour * 60 + self.ends.minute

    def until(self, instant: datetime, zone: ZoneInfo) -> datetime | None:
        """The end (UTC) of the quiet period ``instant`` falls in, or None outside one."""
        local = instant.astimezone(zone)
        clock = local.time().replace(tzinfo=None)
        day = local.date()
        if self.starts < self.ends:
            if not self.starts <= clock < self.ends:
                return None
        elif clock >= self.starts:
            day += timedelta(days=1)
        elif clock >= self.ends:
            return None
        return datetime.combine(day, self.ends, tzinfo=zone).astimezone(UTC)


def _clock(minutes: int) -> time:
    if not 0 <= minutes < MINUTES_PER_DAY:
        raise ValueError(f"not a time of day: {minutes} minutes")
    return time(minutes // 60, minutes % 60)
