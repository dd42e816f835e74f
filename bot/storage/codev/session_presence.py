"""SQL of the answers to a co-development invitation and of who was there."""

from __future__ import annotations

from datetime import datetime

from bot.clock import to_iso
from bot.domain.codev.model import Rsvp
from bot.storage.db import Database


class SessionPresence:
    """Invitation answers and attendance (part of ``CodevSessionStore``)."""

    _db: Database

    async def set_rsvp(self, session_id: int, user_id: int, answer: Rsvp, at: datetime) -> None:
        """Record (or change) a member's answer to the invitation."""
        await self._db.execute(
            "INSERT INTO codev_rsvps (session_id, user_id, answer, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (session_id, user_id) DO UPDATE SET answer = excluded.answer,"
            " at = excluded.at",
            (session_id, user_id, answer.value, to_iso(at)),
        )

    async def rsvps(self, session_id: int) -> dict[int, Rsvp]:
        """Answers to the invitation, by member."""
        rows = await self._db.fetchall(
            "SELECT user_id, answer FROM codev_rsvps WHERE session_id = ?", (session_id,)
        )
        return {r["user_id"]: Rsvp(r["answer"]) for r in rows}

    async def attendance(self, session_id: int) -> set[int]:
        """Who was there (as the facilitator recorded)."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM codev_attendance WHERE session_id = ? AND user_id IS NOT NULL",
            (session_id,),
        )
        return {r["user_id"] for r in rows}

    async def toggle_attendance(self, session_id: int, user_id: int) -> bool:
        """Mark the person present or absent; return True if now present."""
        async with self._db.transaction() as tx:
            removed = await tx.execute(
                "DELETE FROM codev_attendance WHERE session_id = ? AND user_id = ?",
                (session_id, user_id),
            )
            if removed:
                return False
            await tx.execute(
                "INSERT INTO codev_attendance (session_id, user_id) VALUES (?, ?)",
                (session_id, user_id),
            )
            return True
