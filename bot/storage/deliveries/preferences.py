"""Members' delivery preferences (opt-outs, quiet hours) and their personal data in the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import to_iso
from bot.delivery.quiet import QuietHours
from bot.storage.db import Database


class PreferenceQueries:
    """Opt-outs and quiet hours; what the outbox holds about a member, exported or erased."""

    _db: Database

    async def set_opted_out(
        self, user_id: int, category: str, opted_out: bool, now: datetime
    ) -> None:
        """Record whether the member wants no more sends of ``category``."""
        await self._db.execute(
            "INSERT INTO delivery_preferences (user_id, category, opted_out, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (user_id, category) DO UPDATE SET"
            " opted_out = excluded.opted_out, updated_at = excluded.updated_at",
            (user_id, category, int(opted_out), to_iso(now)),
        )

    async def set_quiet_hours(self, user_id: int, hours: QuietHours | None, now: datetime) -> None:
        """Record the member's quiet hours (None: no quiet hours)."""
        if hours is None:
            await self._db.execute("DELETE FROM delivery_quiet_hours WHERE user_id = ?", (user_id,))
            return
        starts, ends = hours.minutes
        await self._db.execute(
            "INSERT INTO delivery_quiet_hours (user_id, starts_minute, ends_minute, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " starts_minute = excluded.starts_minute, ends_minute = excluded.ends_minute,"
            " updated_at = excluded.updated_at",
            (user_id, starts, ends, to_iso(now)),
        )

    async def quiet_hours(self, user_id: int) -> QuietHours | None:
        """The member's quiet hours, if they set some."""
        row = await self._db.fetchone(
            "SELECT starts_minute, ends_minute FROM delivery_quiet_hours WHERE user_id = ?",
            (user_id,),
        )
        return QuietHours.from_minutes(row["starts_minute"], row["ends_minute"]) if row else None

    async def opted_out_categories(self, user_id: int) -> set[str]:
        """The categories the member opted out of."""
        rows = await self._db.fetchall(
            "SELECT category FROM delivery_preferences WHERE user_id = ? AND opted_out = 1",
            (user_id,),
        )
        return {row["category"] for row in rows}

    async def personal_data(self, user_id: int) -> dict[str, Any]:
        """The member's preferences and the messages sent to them."""
        preferences = await self._db.fetchall(
            "SELECT category, opted_out, updated_at FROM delivery_preferences WHERE user_id = ?",
            (user_id,),
        )
        deliveries = await self._db.fetchall(
            "SELECT d.send_id, s.kind, s.category, d.state, d.sent_at FROM deliveries AS d"
            " JOIN sends AS s ON s.id = d.send_id WHERE d.user_id = ? ORDER BY d.id",
            (user_id,),
        )
        quiet = await self._db.fetchone(
            "SELECT starts_minute, ends_minute, updated_at FROM delivery_quiet_hours"
            " WHERE user_id = ?",
            (user_id,),
        )
        return {
            "preferences": [
                {**dict(row), "opted_out": bool(row["opted_out"])} for row in preferences
            ],
            "quiet_hours": dict(quiet) if quiet else None,
            "deliveries": [dict(row) for row in deliveries],
        }

    async def erase_personal_data(self, user_id: int) -> None:
        """Forget the member: preferences go, unsent rows go, sent rows lose who they were for."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM delivery_preferences WHERE user_id = ?", (user_id,))
            await tx.execute("DELETE FROM delivery_quiet_hours WHERE user_id = ?", (user_id,))
            await tx.execute(
                "DELETE FROM deliveries WHERE user_id = ? AND state = 'pending'", (user_id,)
            )
            await tx.execute(
                "UPDATE deliveries SET user_id = NULL, chat_id = NULL, message_ids = '[]',"
                " error = NULL WHERE user_id = ?",
                (user_id,),
            )
