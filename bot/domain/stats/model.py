"""The vocabulary of usage statistics: months, metrics, and figures masked under k."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

CLAIM_LEASE = timedelta(minutes=10)
"""How long a claimed month waits for its send to be recorded before it can be claimed again."""
MONTHS_SHOWN = 12
"""How many months the "last 12 months" view, its chart and its export cover."""


class StatsError(Exception):
    """A refused statistics action; ``code`` names the catalog message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month of the network's zone."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month | None:
        """``2030-03`` as a month, or None when it is not one."""
        year, dash, month = text.partition("-")
        if not dash or not (year.isdigit() and month.isdigit()) or len(year) != 4:
            return None
        if not 1 <= int(month) <= 12 or len(month) != 2:
            return None
        return cls(int(year), int(month))

    @classmethod
    def of(cls, instant: datetime, zone: ZoneInfo) -> Month:
        """The month ``instant`` falls in, in ``zone``."""
        local = instant.astimezone(zone)
        return cls(local.year, local.month)

    @property
    def key(self) -> str:
        """``YYYY-MM``, as stored and exported."""
        return f"{self.year:04d}-{self.month:02d}"

    def shift(self, months: int) -> Month:
        """The month ``months`` later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def starts(self, zone: ZoneInfo) -> datetime:
        """Midnight of the first day, in ``zone``."""
        return datetime.combine(datetime(self.year, self.month, 1).date(), time(), zone)

    def last(self, count: int) -> list[Month]:
        """The ``count`` months ending with this one, oldest first."""
        return [self.shift(offset) for offset in range(1 - count, 1)]


class Metric(StrEnum):
    """One line of the statistics, in the order they are shown and exported."""

    MEMBERS_REGISTERED = "members_registered"
    MEMBERS_NEW = "members_new"
    MEMBERS_ACTIVE = "members_active"
    DIAGNOSTIC_CAMPAIGNS = "diagnostic_campaigns"
    DIAGNOSTIC_INVITED = "diagnostic_invited"
    DIAGNOSTIC_RESPONSES = "diagnostic_responses"
    DIAGNOSTIC_RATE = "diagnostic_rate"
    VISIO_VOTERS = "visio_voters"
    VISIO_VOTES = "visio_votes"
    VISIO_SESSIONS = "visio_sessions"
    VISIO_COMING = "visio_coming"
    VISIO_ATTENDED = "visio_attended"
    VISIO_RATINGS = "visio_ratings"
    VISIO_SATISFACTION = "visio_satisfaction"
    CODEV_SESSIONS = "codev_sessions"
    CODEV_PARTICIPANTS = "codev_participants"
    NEWSLETTER_LETTERS = "newsletter_letters"
    NEWSLETTER_DELIVERED = "newsletter_delivered"
    NEWSLETTER_OPT_OUTS = "newsletter_opt_outs"


class Nature(StrEnum):
    """How a metric is protected: people under k hidden, events shown, ratios from k."""

    PEOPLE = "people"
    EVENTS = "events"
    RATIO = "ratio"


NATURES: Mapping[Metric, Nature] = {
    metric: (
        Nature.EVENTS
        if metric.value.endswith(("_sessions", "_campaigns", "_letters"))
        else Nature.RATIO
        if metric in (Metric.DIAGNOSTIC_RATE, Metric.VISIO_SATISFACTION)
        else Nature.PEOPLE
    )
    for metric in Metric
}
COUNTED: tuple[Metric, ...] = tuple(m for m in Metric if NATURES[m] is not Nature.RATIO)
"""The metrics read from the database; the ratios are computed from them."""
RATING_TOTAL = "visio_rating_total"
"""The sum of the 1–5 satisfaction answers, read with the counts to make the mean."""

Counts = Mapping[str, int]
"""One month's raw counts by metric value (and ``RATING_TOTAL``)."""


@dataclass(frozen=True)
class Cell:
    """One figure as it may be shown: a value, or hidden because it counts fewer than k."""

    value: float | None
    hidden: bool = False


@dataclass(frozen=True)
class MonthFigures:
    """One month's figures, already masked."""

    month: Month
    cells: Mapping[Metric, Cell]

    @property
    def empty(self) -> bool:
        """True when nothing happened that month (the count of registered members aside)."""
        return all(
            not cell.hidden and not cell.value
            for metric, cell in self.cells.items()
            if metric is not Metric.MEMBERS_REGISTERED
        )


@dataclass(frozen=True)
class Digest:
    """A month's figures prepared for the members; published once."""

    month: Month
    figures: MonthFigures | None
    published_at: datetime | None = None
    send_id: int | None = None

    def settled(self, now: datetime) -> bool:
        """True once published: its send recorded, or claimed less than ``CLAIM_LEASE`` ago."""
        if self.published_at is None:
            return False
        return self.send_id is not None or now - self.published_at < CLAIM_LEASE
