"""SQL of a guided co-development session: its six steps, their timing and their alerts."""

from __future__ import annotations

from datetime import datetime

from bot.clock import to_iso
from bot.domain.codev.model import GuideMode, Session
from bot.storage.codev.groups import minutes_text
from bot.storage.codev.session_rows import SESSION_COLUMNS, session_of
from bot.storage.db import Database


class SessionSteps:
    """The guided steps of a running session (part of ``CodevSessionStore``)."""

    _db: Database

    async def start_guide(
        self, session_id: int, mode: GuideMode, minutes: tuple[int, ...], at: datetime
    ) -> bool:
        """Begin step 1 of a scheduled session; False if it is not scheduled."""
        changed = await self._db.execute(
            "UPDATE codev_sessions SET status = 'running', guide_mode = ?, step = 1,"
            " step_started_at = ?, step_alerted = 0, step_minutes = ?"
            " WHERE id = ? AND status = 'scheduled'",
            (mode.value, to_iso(at), minutes_text(minutes), session_id),
        )
        return changed == 1

    async def advance(self, session_id: int, from_step: int, at: datetime) -> bool:
        """Move from ``from_step`` to the next; False if the session is elsewhere (stale)."""
        changed = await self._db.execute(
            "UPDATE codev_sessions SET step = step + 1, step_started_at = ?, step_alerted = 0"
            " WHERE id = ? AND status = 'running' AND step = ?",
            (to_iso(at), session_id, from_step),
        )
        return changed == 1

    async def finish(self, session_id: int, from_step: int, at: datetime) -> bool:
        """End the session after its last step; those who said yes are marked present."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE codev_sessions SET status = 'held', held_at = ?, step_started_at = NULL"
                " WHERE id = ? AND status = 'running' AND step = ?",
                (to_iso(at), session_id, from_step),
            )
            if changed != 1:
                return False
            await tx.execute(
                "INSERT OR IGNORE INTO codev_attendance (session_id, user_id) SELECT session_id,"
                " user_id FROM codev_rsvps WHERE session_id = ? AND answer = 'yes'",
                (session_id,),
            )
            return True

    async def step_alerts(self) -> list[Session]:
        """Running sessions whose current step has not been alerted yet."""
        rows = await self._db.fetchall(
            f"SELECT {SESSION_COLUMNS} FROM codev_sessions"
            " WHERE status = 'running' AND step_alerted = 0"
        )
        return [session_of(row) for row in rows]

    async def claim_step_alert(self, session_id: int, step: int) -> bool:
        """Take the alert of ``step`` once; False if it was taken or the step moved on."""
        changed = await self._db.execute(
            "UPDATE codev_sessions SET step_alerted = 1 WHERE id = ? AND status = 'running'"
            " AND step = ? AND step_alerted = 0",
            (session_id, step),
        )
        return changed == 1
