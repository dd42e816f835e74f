"""SQL for RSVPs, attendance and feedback of sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import to_iso
from bot.domain.visio.model import Attendance
from bot.storage.db import Database


class AttendanceStore:
    """One row per member and session: RSVP, attended, rating, comment."""

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

    async def set_rating(self, session_id: int, user_id: int, rating: int, at: datetime) -> None:
        """Store a 1-5 rating."""
        await self._upsert(session_id, user_id, "rating", rating, at)

    async def set_comment(self, session_id: int, user_id: int, comment: str, at: datetime) -> None:
        """Store the free-text feedback."""
        await self._upsert(session_id, user_id, "comment", comment, at)

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
        """Counts, ratings and comments of a session, without names."""
        rows = await self._db.fetchall(
            "SELECT answer, attended, rating, comment FROM visio_rsvps WHERE session_id = ?"
            " ORDER BY id",
            (session_id,),
        )
        return Attendance(
            yes=sum(1 for r in rows if r["answer"] == "yes"),
            no=sum(1 for r in rows if r["answer"] == "no"),
            attended=sum(1 for r in rows if r["attended"] == 1),
            ratings=tuple(r["rating"] for r in rows if r["rating"] is not None),
            comments=tuple(r["comment"] for r in rows if r["comment"]),
        )

    async def rows_of(self, user_id: int) -> list[dict[str, Any]]:
        """The member's RSVPs and feedback, for their data export."""
        rows = await self._db.fetchall(
            "SELECT session_id, answer, attended, rating, comment, updated_at FROM visio_rsvps"
            " WHERE user_id = ? ORDER BY session_id",
            (user_id,),
        )
        return [dict(row) for row in rows]

    async def erase(self, user_id: int) -> None:
        """Unlink the member's rows and drop their comments; counts and ratings stay."""
        await self._db.execute(
            "UPDATE visio_rsvps SET user_id = NULL, comment = NULL WHERE user_id = ?", (user_id,)
        )
