"""Retention: personal data older than ``MAILLAGE_RETENTION_MONTHS`` goes, aggregates stay.

The cutoff is now minus N calendar months (in UTC). Everything the storage's categories
name that lies before it is deleted or anonymised in one transaction: delivery rows of
finished sends (the send keeps its counts by state), audit rows, consent refusals,
conversation states and pending inputs, expired invitation codes and code attempts, the
link between members and their answers in closed diagnostic campaigns (the answers stay
for the results), who voted for what once a ballot's counts are kept, topics never chosen
(those on a ballot stay with its counts).

The purge runs daily at 03:30 in the network's zone (job ``retention:daily``); its due
time is computed from the last recorded run, so a run missed while the bot was down
happens once at start-up. ``maillage purge --dry-run`` shows what would go.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from bot.clock import Clock, to_iso
from bot.storage.db import Database
from bot.storage.retention import UNLINKED, RetentionStore

logger = logging.getLogger(__name__)

RUN_AT = time(3, 30)
DAILY = "daily"
COMMAND = "command"


def retention_cutoff(now: datetime, months: int) -> datetime:
    """The instant ``months`` calendar months before ``now``, in UTC."""
    if months < 1:
        raise ValueError("retention needs at least one month")
    return now.astimezone(UTC) - relativedelta(months=months)


def next_run(after: datetime, zone: ZoneInfo) -> datetime:
    """The first 03:30 in ``zone`` strictly after ``after``, in UTC."""
    local = after.astimezone(zone)
    day = local.date()
    candidate = datetime.combine(day, RUN_AT, tzinfo=zone)
    if candidate <= after:
        candidate = datetime.combine(day + timedelta(days=1), RUN_AT, tzinfo=zone)
    return candidate.astimezone(UTC)


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed (or, for a dry run, would remove), per category."""

    cutoff: datetime
    months: int
    counts: dict[str, int]
    dry_run: bool

    @property
    def total(self) -> int:
        """Rows removed or anonymised, all categories together."""
        return sum(self.counts.values())

    @staticmethod
    def unlinked(category: str) -> bool:
        """True when the category's rows stay, unlinked from the member (not deleted)."""
        return category in UNLINKED

    def summary(self) -> str:
        """``deliveries=3, audit_log=2, …`` in the storage's order."""
        return ", ".join(f"{name}={count}" for name, count in self.counts.items())


class RetentionService:
    """Computes the cutoff, previews and runs the purge, and knows when it is due."""

    def __init__(self, store: RetentionStore, clock: Clock, months: int, zone: ZoneInfo) -> None:
        retention_cutoff(clock.now(), months)  # refuses a bad period early
        self._store = store
        self._clock = clock
        self.months = months
        self.zone = zone

    @classmethod
    def on(cls, db: Database, clock: Clock, months: int, zone: ZoneInfo) -> RetentionService:
        """The service over ``db``."""
        return cls(RetentionStore(db), clock, months, zone)

    def cutoff(self, months: int | None = None) -> datetime:
        """The cutoff now, for ``months`` (default: the configured period)."""
        return retention_cutoff(self._clock.now(), self.months if months is None else months)

    async def preview(self, months: int | None = None) -> PurgeReport:
        """What a purge would remove now; nothing changes."""
        months = self.months if months is None else months
        cutoff = retention_cutoff(self._clock.now(), months)
        return PurgeReport(cutoff, months, await self._store.count(cutoff), dry_run=True)

    async def purge(self, months: int | None = None, trigger: str = COMMAND) -> PurgeReport:
        """Remove what is older than the cutoff, in one transaction; log the counts."""
        months = self.months if months is None else months
        now = self._clock.now()
        cutoff = retention_cutoff(now, months)
        counts = await self._store.purge(cutoff, now, months, trigger)
        report = PurgeReport(cutoff, months, counts, dry_run=False)
        logger.info(
            "retention purge: %s (total %d, cutoff %s, %d months, %s)",
            report.summary(),
            report.total,
            to_iso(cutoff),
            months,
            trigger,
        )
        return report

    async def next_due(self) -> datetime:
        """When the daily purge is due: the first 03:30 after the last run (or install)."""
        last = await self._store.last_run()
        return next_run(last or self._clock.now(), self.zone)

    async def run_daily(self) -> PurgeReport | None:
        """The daily purge if it is due (None if it already ran for this day)."""
        if await self.next_due() > self._clock.now():
            return None
        return await self.purge(trigger=DAILY)
