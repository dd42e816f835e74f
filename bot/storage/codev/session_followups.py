"""SQL of what follows a co-development session: client rotation, action plans, follow-ups."""

from __future__ import annotations

from datetime import datetime

from bot.clock import from_iso, to_iso
from bot.storage.db import Database


class SessionFollowups:
    """Past clients, recorded plans and their follow-ups (part of ``CodevSessionStore``)."""

    _db: Database

    async def clients(self, group_id: int) -> dict[int, datetime]:
        """Members who have been client in a session held, with the last time."""
        rows = await self._db.fetchall(
            "SELECT client_id, MAX(held_at) AS at FROM codev_sessions WHERE group_id = ?"
            " AND status = 'held' AND client_id IS NOT NULL GROUP BY client_id",
            (group_id,),
        )
        return {r["client_id"]: from_iso(r["at"]) for r in rows}

    async def next_start(self, group_id: int, after: datetime) -> datetime | None:
        """The start of the group's next scheduled session after ``after``."""
        row = await self._db.fetchone(
            "SELECT MIN(starts_at) AS at FROM codev_sessions WHERE group_id = ?"
            " AND status = 'scheduled' AND starts_at > ?",
            (group_id, to_iso(after)),
        )
        return from_iso(row["at"]) if row and row["at"] else None

    async def record_plan(self, session_id: int, at: datetime, followup_due: datetime) -> bool:
        """The client confirmed their action plan; its follow-up is due at ``followup_due``."""
        changed = await self._db.execute(
            "UPDATE codev_sessions SET plan_recorded_at = ?, followup_due_at = ?"
            " WHERE id = ? AND plan_recorded_at IS NULL",
            (to_iso(at), to_iso(followup_due), session_id),
        )
        return changed == 1

    async def followups(self) -> list[tuple[int, datetime]]:
        """Plans whose follow-up question was not asked yet: (session, due)."""
        rows = await self._db.fetchall(
            "SELECT id, followup_due_at FROM codev_sessions WHERE plan_recorded_at IS NOT NULL"
            " AND followup_asked_at IS NULL AND followup_due_at IS NOT NULL"
        )
        return [(r["id"], from_iso(r["followup_due_at"])) for r in rows]

    async def claim_followup(self, session_id: int, at: datetime) -> bool:
        """Take a due follow-up once."""
        changed = await self._db.execute(
            "UPDATE codev_sessions SET followup_asked_at = ? WHERE id = ?"
            " AND followup_asked_at IS NULL AND followup_due_at <= ?",
            (to_iso(at), session_id, to_iso(at)),
        )
        return changed == 1

    async def followup_done(self, session_id: int, at: datetime) -> bool:
        """Every commitment was answered; False if it was already."""
        changed = await self._db.execute(
            "UPDATE codev_sessions SET followup_done_at = ? WHERE id = ?"
            " AND followup_done_at IS NULL",
            (to_iso(at), session_id),
        )
        return changed == 1
