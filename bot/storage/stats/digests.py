"""SQL of the published monthly digests and of the monthly preparation switch."""

from __future__ import annotations

import json
from datetime import datetime

from bot.clock import from_iso, to_iso
from bot.domain.stats.model import CLAIM_LEASE, Cell, Digest, Metric, Month, MonthFigures
from bot.storage.db import Database


def _encode(figures: MonthFigures) -> str:
    return json.dumps(
        {metric.value: [cell.value, cell.hidden] for metric, cell in figures.cells.items()}
    )


def _decode(month: Month, text: str | None) -> MonthFigures | None:
    if not text:
        return None
    raw = json.loads(text)
    cells = {
        metric: Cell(raw[metric.value][0], bool(raw[metric.value][1]))
        for metric in Metric
        if metric.value in raw
    }
    return MonthFigures(month, cells)


class DigestStore:
    """One row per month: the figures as published (masked), and when they went out."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, month: Month) -> Digest | None:
        """The month's digest row, if any."""
        row = await self._db.fetchone(
            "SELECT figures, published_at, send_id FROM stats_digests WHERE month = ?",
            (month.key,),
        )
        if row is None:
            return None
        published = from_iso(row["published_at"]) if row["published_at"] else None
        return Digest(month, _decode(month, row["figures"]), published, row["send_id"])

    async def published(self, limit: int) -> list[Digest]:
        """The latest published digests, newest first."""
        rows = await self._db.fetchall(
            "SELECT month, figures, published_at, send_id FROM stats_digests"
            " WHERE published_at IS NOT NULL ORDER BY month DESC LIMIT ?",
            (limit,),
        )
        digests = []
        for row in rows:
            month = Month.parse(row["month"])
            assert month is not None
            figures = _decode(month, row["figures"])
            digests.append(Digest(month, figures, from_iso(row["published_at"]), row["send_id"]))
        return digests

    async def claim(self, figures: MonthFigures, at: datetime) -> bool:
        """Mark the month published with these figures; False if it already was.

        A claim whose send was never recorded (the process died in between) lapses after
        ``CLAIM_LEASE``, so the month can be published again rather than never.
        """
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "INSERT INTO stats_digests (month, figures, published_at) VALUES (?, ?, ?)"
                " ON CONFLICT (month) DO UPDATE SET figures = excluded.figures,"
                " published_at = excluded.published_at WHERE stats_digests.published_at IS NULL"
                " OR (stats_digests.send_id IS NULL AND stats_digests.published_at <= ?)",
                (figures.month.key, _encode(figures), to_iso(at), to_iso(at - CLAIM_LEASE)),
            )
        return changed > 0

    async def set_send(self, month: Month, send_id: int) -> None:
        """The send that carries the month's digest."""
        await self._db.execute(
            "UPDATE stats_digests SET send_id = ? WHERE month = ?", (send_id, month.key)
        )

    async def set_preview(self, month: Month, token: str) -> None:
        """The token the confirm button of the latest preview carries (older ones expire)."""
        await self._db.execute(
            "INSERT INTO stats_digests (month, preview_token) VALUES (?, ?)"
            " ON CONFLICT (month) DO UPDATE SET preview_token = excluded.preview_token",
            (month.key, token),
        )

    async def take_preview(self, month: Month, token: str) -> bool:
        """Use up the preview's token; False when it is not the current one (stale, forged)."""
        return (
            await self._db.execute(
                "UPDATE stats_digests SET preview_token = NULL"
                " WHERE month = ? AND preview_token = ?",
                (month.key, token),
            )
            > 0
        )

    async def prompted(self, month: Month) -> bool:
        """True once the animators were asked about the month's digest."""
        row = await self._db.fetchone(
            "SELECT prompted_at FROM stats_digests WHERE month = ?", (month.key,)
        )
        return row is not None and row["prompted_at"] is not None

    async def mark_prompted(self, month: Month, at: datetime) -> bool:
        """Record the prompt for the month; False if it was already recorded (run twice)."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "INSERT INTO stats_digests (month, prompted_at) VALUES (?, ?)"
                " ON CONFLICT (month) DO UPDATE SET prompted_at = excluded.prompted_at"
                " WHERE stats_digests.prompted_at IS NULL",
                (month.key, to_iso(at)),
            )
        return changed > 0

    async def schedule_enabled(self) -> datetime | None:
        """When the monthly preparation was switched on, or None when it is off."""
        row = await self._db.fetchone("SELECT enabled_at FROM stats_schedule WHERE id = 1")
        return from_iso(row["enabled_at"]) if row else None

    async def set_schedule(self, on: bool, at: datetime) -> None:
        """Switch the monthly preparation on or off."""
        if on:
            await self._db.execute(
                "INSERT OR IGNORE INTO stats_schedule (id, enabled_at) VALUES (1, ?)",
                (to_iso(at),),
            )
        else:
            await self._db.execute("DELETE FROM stats_schedule")
