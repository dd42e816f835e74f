"""SQL of the quick time poll of a co-development session: the dates offered and who each suits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import from_iso, to_iso
from bot.domain.codev.model import DateOption, SessionStatus
from bot.storage.codev.session_rows import status_list
from bot.storage.db import Database


class SessionDatePolls:
    """The dates offered for a session and the members' ticks (part of ``CodevSessionStore``)."""

    _db: Database

    async def offer_dates(
        self, session_id: int, dates: Sequence[datetime], allowed_from: Sequence[SessionStatus]
    ) -> bool:
        """Replace the dates offered and move the session to polling."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE codev_sessions SET status = 'polling' WHERE id = ?"
                f" AND status IN ({status_list(allowed_from)})",
                (session_id,),
            )
            if changed != 1:
                return False
            await tx.execute("DELETE FROM codev_date_options WHERE session_id = ?", (session_id,))
            await tx.executemany(
                "INSERT INTO codev_date_options (session_id, number, starts_at) VALUES (?, ?, ?)",
                [(session_id, n, to_iso(d)) for n, d in enumerate(dates, start=1)],
            )
            return True

    async def options(self, session_id: int) -> list[DateOption]:
        """The dates offered, with who each suits."""
        rows = await self._db.fetchall(
            "SELECT o.number, o.starts_at, v.user_id FROM codev_date_options o"
            " LEFT JOIN codev_date_votes v ON v.session_id = o.session_id AND v.number = o.number"
            " WHERE o.session_id = ? ORDER BY o.number",
            (session_id,),
        )
        voters: dict[int, set[int]] = {}
        starts: dict[int, datetime] = {}
        for row in rows:
            starts[row["number"]] = from_iso(row["starts_at"])
            bucket = voters.setdefault(row["number"], set())
            if row["user_id"] is not None:
                bucket.add(row["user_id"])
        return [DateOption(n, starts[n], frozenset(voters[n])) for n in starts]

    async def toggle_vote(self, session_id: int, number: int, user_id: int) -> bool | None:
        """Say a date suits (or no longer suits) the person; None if there is no such date."""
        async with self._db.transaction() as tx:
            option = await tx.fetchone(
                "SELECT 1 FROM codev_date_options WHERE session_id = ? AND number = ?",
                (session_id, number),
            )
            if option is None:
                return None
            removed = await tx.execute(
                "DELETE FROM codev_date_votes WHERE session_id = ? AND number = ? AND user_id = ?",
                (session_id, number, user_id),
            )
            if removed:
                return False
            await tx.execute(
                "INSERT INTO codev_date_votes (session_id, number, user_id) VALUES (?, ?, ?)",
                (session_id, number, user_id),
            )
            return True
