"""Usage statistics: monthly figures masked under k, and the digests published to members."""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.stats.figures import mask
from bot.domain.stats.model import MONTHS_SHOWN, Digest, Month, MonthFigures, StatsError
from bot.storage.db import Database
from bot.storage.stats import DigestStore, FigureStore

FIRST_YEAR = 2000
"""No month before this one is asked for (a forged button)."""
PUBLISHED_SHOWN = 12
"""How many published digests a member may browse."""
TOKEN_BYTES = 4
"""A preview's token: 8 hex digits in the confirm button."""
PROMPT_HOUR = 9
"""The animators are asked at 9:00 (network time) on the first day of the next month."""


class StatsService:
    """Figures of any past or current month, and the publication of a month's digest."""

    def __init__(self, db: Database, clock: Clock, zone: ZoneInfo, threshold: int) -> None:
        self._figures = FigureStore(db)
        self._digests = DigestStore(db)
        self._clock = clock
        self.zone = zone
        self.threshold = threshold

    def current_month(self) -> Month:
        """The month under way, in the network's zone."""
        return Month.of(self._clock.now(), self.zone)

    def valid(self, month: Month) -> bool:
        """True for a month that can be shown: not in the future, not absurdly old."""
        return month.year >= FIRST_YEAR and month <= self.current_month()

    async def months(self, months: list[Month]) -> list[MonthFigures]:
        """The masked figures of each month, in the order asked."""
        spans = [(m.key, m.starts(self.zone), m.shift(1).starts(self.zone)) for m in months]
        counts = await self._figures.counts(spans, self._clock.now())
        return [mask(m, counts[m.key], self.threshold) for m in months]

    async def month(self, month: Month) -> MonthFigures:
        """The masked figures of one month."""
        [figures] = await self.months([month])
        return figures

    async def year(self, last: Month | None = None) -> list[MonthFigures]:
        """The last 12 months ending with ``last`` (default: the current one), oldest first."""
        return await self.months((last or self.current_month()).last(MONTHS_SHOWN))

    async def digest(self, month: Month) -> Digest | None:
        """The month's digest row (prepared, prompted or published)."""
        return await self._digests.get(month)

    async def published(self) -> list[Digest]:
        """The digests published to the members, newest first."""
        return await self._digests.published(PUBLISHED_SHOWN)

    async def publishable(self, month: Month) -> MonthFigures:
        """The month's figures if they may be published; StatsError otherwise.

        Refusals: ``future`` (the month is not over), ``already`` (published before, with
        ``when``) and ``empty`` (nothing happened).
        """
        if month >= self.current_month():
            raise StatsError("future")
        digest = await self._digests.get(month)
        if digest is not None and digest.settled(self._clock.now()):
            raise StatsError("already", when=digest.published_at)
        figures = await self.month(month)
        if figures.empty:
            raise StatsError("empty")
        return figures

    async def preview(self, month: Month) -> tuple[MonthFigures, str]:
        """The figures to preview and the token its confirm button carries."""
        figures = await self.publishable(month)
        token = secrets.token_hex(TOKEN_BYTES)
        await self._digests.set_preview(month, token)
        return figures, token

    async def drop_preview(self, month: Month, token: str) -> bool:
        """Cancel a preview; False when it was no longer the current one."""
        return await self._digests.take_preview(month, token)

    async def claim(self, month: Month, token: str) -> MonthFigures:
        """Freeze and mark the month's figures as published; StatsError if it cannot be.

        Refusals: those of ``publishable``, and ``expired`` when ``token`` is not the
        current preview's (cancelled, replaced or forged).
        """
        await self.publishable(month)
        if not await self._digests.take_preview(month, token):
            raise StatsError("expired")
        figures = await self.publishable(month)
        if not await self._digests.claim(figures, self._clock.now()):
            raise StatsError("already", when=self._clock.now())
        return figures

    async def record_send(self, month: Month, send_id: int) -> None:
        """The send carrying the month's digest."""
        await self._digests.set_send(month, send_id)

    async def schedule_enabled(self) -> datetime | None:
        """When the monthly preparation was switched on (None: off)."""
        return await self._digests.schedule_enabled()

    async def set_schedule(self, on: bool) -> None:
        """Switch the monthly preparation on or off."""
        await self._digests.set_schedule(on, self._clock.now())

    async def next_prompt(self) -> tuple[Month, datetime] | None:
        """The month the animators are to be asked about next, and when (None: off).

        After downtime only the latest finished month is asked about, never a backlog.
        """
        enabled = await self.schedule_enabled()
        if enabled is None:
            return None
        month = max(Month.of(enabled, self.zone), self.current_month().shift(-1))
        while await self._digests.prompted(month):
            month = month.shift(1)
        return month, month.shift(1).starts(self.zone).replace(hour=PROMPT_HOUR)

    async def mark_prompted(self, month: Month) -> bool:
        """Record that the animators were asked about the month; False if already done."""
        return await self._digests.mark_prompted(month, self._clock.now())
