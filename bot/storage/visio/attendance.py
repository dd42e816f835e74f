"""SQL for RSVPs and declared attendance of sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import to_iso
from bot.domain.visio.model import Attendance
from bot.storage.db import Database


class AttendanceStore:
    """One row per member and session: RSVP and "I attended"."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _upsert(
        self, session_id: int, user_id: int, column: str, value: Any, at: datetime
    ) -> None:
        await self._db.execute(
            f"INSERT INTO visio_rsvps (session_id, user_id, {column}, updated_at)"
            f" VALUES (?, ?, ?, ?) ON CONFLICT (session_id, user_id) DO UPDATE SET"
            f" {column} = excluded.{column}, updated_at = excluded.updated_at",
            (session_id, user_id, value, to_iso(at)),
        )

    async def set_answer(self, session_id: int, user_id: int, answer: str, at: datetime) -> None:
        """Store an RSVP: 'yes' or 'no'."""
        await self._upsert(session_id, user_id, "answer", answer, at)

    async def set_attended(
        self, session_id: int, user_id: int, attended: bool, at: datetime
    ) -> None:
        """Store whether the member says they attended."""
        await self._upsert(session_id, user_id, "attended", int(attended), at)

    async def answer_of(self, session_id: int, user_id: int) -> str | None:
        """The member's RSVP, if any."""
        row = await self._db.fetchone(
            "SELECT answer FROM visio_rsvps WHERE session_id = ? AND user_id = ?",
            (session_id, user_id),
        )
        return row["answer"] if row else None

    async def declined(self, session_id: int) -> set[int]:
        """Members who answered 'I can't'."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM visio_rsvps WHERE session_id = ? AND answer = 'no'"
            " AND user_id IS NOT NULL",
            (session_id,),
        )
        return {row["user_id"] for row in rows}

    async def summary(self, session_id: int) -> Attendance:
        """Counts of a session, without names."""
        row = await self._db.fetchone(
            "SELECT COALESCE(SUM(answer = 'yes'), 0) AS yes, COALESCE(SUM(answer = 'no'), 0) AS no,"
            " COALESCE(SUM(attended = 1), 0) AS attended FROM visio_rsvps WHERE session_id = ?",
            (session_id,),
        )
        assert row is not None
        return Attendance(yes=row["yes"], no=row["no"], attended=row["attended"])

    async def rows_of(self, user_id: int) -> list[dict[str, Any]]:
        """The member's RSVPs and attendance, for their data export."""
        rows = await self._db.fetchall(
            "SELECT session_id, answer, attended, updated_at FROM visio_rsvps"
            " WHERE user_id = ? ORDER BY session_id",
            (user_id,),
        )
        return [dict(row) for row in rows]

    async def erase(self, user_id: int) -> None:
        """Unlink the member's rows; the anonymous counts stay."""
        await self._db.execute(
            "UPDATE visio_rsvps SET user_id = NULL WHERE user_id = ?", (user_id,)
        )
