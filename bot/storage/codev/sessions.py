"""SQL for co-development sessions: requests, scheduling, reminders and personal data.

The dates poll, the invitation answers, the guided steps and the follow-ups have modules of
their own; ``CodevSessionStore`` brings them together behind one object.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.clock import from_iso, to_iso
from bot.domain.codev.model import Session, SessionStatus
from bot.storage.codev.groups import minutes_text
from bot.storage.codev.session_followups import SessionFollowups
from bot.storage.codev.session_polls import SessionDatePolls
from bot.storage.codev.session_presence import SessionPresence
from bot.storage.codev.session_rows import SESSION_COLUMNS, session_of, status_list
from bot.storage.codev.session_steps import SessionSteps
from bot.storage.db import Database


class CodevSessionStore(SessionDatePolls, SessionPresence, SessionSteps, SessionFollowups):
    """Reads and writes sessions and everything dated or answered about them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self, group_id: int, client_id: int, case: str, minutes: tuple[int, ...], at: datetime
    ) -> int:
        """A new request from a client; return its id."""
        async with self._db.transaction() as tx:
            return await tx.insert(
                "INSERT INTO codev_sessions (group_id, client_id, case_text, status,"
                " requested_at, step_minutes) VALUES (?, ?, ?, 'requested', ?, ?)",
                (group_id, client_id, case, to_iso(at), minutes_text(minutes)),
            )

    async def get(self, session_id: int) -> Session | None:
        """One session."""
        row = await self._db.fetchone(
            f"SELECT {SESSION_COLUMNS} FROM codev_sessions WHERE id = ?", (session_id,)
        )
        return session_of(row) if row else None

    async def of_group(self, group_id: int) -> list[Session]:
        """The group's sessions, oldest request first."""
        rows = await self._db.fetchall(
            f"SELECT {SESSION_COLUMNS} FROM codev_sessions WHERE group_id = ? ORDER BY id",
            (group_id,),
        )
        return [session_of(row) for row in rows]

    async def open_of_client(
        self, group_id: int, client_id: int, statuses: Sequence[SessionStatus]
    ) -> Session | None:
        """The client's session in one of ``statuses`` in this group, if any."""
        row = await self._db.fetchone(
            f"SELECT {SESSION_COLUMNS} FROM codev_sessions WHERE group_id = ? AND client_id = ?"
            f" AND status IN ({status_list(statuses)}) ORDER BY id LIMIT 1",
            (group_id, client_id),
        )
        return session_of(row) if row else None

    async def move(
        self, session_id: int, to: SessionStatus, allowed_from: Sequence[SessionStatus]
    ) -> bool:
        """Change the status if it is one of ``allowed_from``; False otherwise."""
        changed = await self._db.execute(
            f"UPDATE codev_sessions SET status = ? WHERE id = ?"
            f" AND status IN ({status_list(allowed_from)})",
            (to.value, session_id),
        )
        return changed == 1

    async def schedule(
        self,
        session_id: int,
        starts_at: datetime,
        link: str,
        reminders: Sequence[tuple[str, datetime]],
        followup_by: datetime,
        allowed_from: Sequence[SessionStatus],
    ) -> bool:
        """Set the date, link and reminders; bring earlier the group's pending follow-ups."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE codev_sessions SET status = 'scheduled', starts_at = ?, link = ?,"
                " sequence = sequence + 1"
                f" WHERE id = ? AND status IN ({status_list(allowed_from)})",
                (to_iso(starts_at), link, session_id),
            )
            if changed != 1:
                return False
            await tx.execute("DELETE FROM codev_reminders WHERE session_id = ?", (session_id,))
            await tx.executemany(
                "INSERT INTO codev_reminders (session_id, kind, due_at) VALUES (?, ?, ?)",
                [(session_id, kind, to_iso(due)) for kind, due in reminders],
            )
            await tx.execute(
                "UPDATE codev_sessions SET followup_due_at = ? WHERE group_id ="
                " (SELECT group_id FROM codev_sessions WHERE id = ?)"
                " AND plan_recorded_at IS NOT NULL AND followup_asked_at IS NULL"
                " AND followup_due_at > ?",
                (to_iso(followup_by), session_id, to_iso(followup_by)),
            )
            return True

    # -- reminders --------------------------------------------------------------------------

    async def reminders(self) -> list[tuple[int, str, datetime]]:
        """Reminders not sent yet of scheduled sessions: (session, kind, due)."""
        rows = await self._db.fetchall(
            "SELECT r.session_id, r.kind, r.due_at FROM codev_reminders r JOIN codev_sessions s"
            " ON s.id = r.session_id WHERE r.done_at IS NULL AND s.status = 'scheduled'"
        )
        return [(r["session_id"], r["kind"], from_iso(r["due_at"])) for r in rows]

    async def claim_reminder(self, session_id: int, kind: str, at: datetime) -> bool:
        """Take a due reminder once; False if it was already sent or is not due."""
        changed = await self._db.execute(
            "UPDATE codev_reminders SET done_at = ? WHERE session_id = ? AND kind = ?"
            " AND done_at IS NULL AND due_at <= ?",
            (to_iso(at), session_id, kind, to_iso(at)),
        )
        return changed == 1

    # -- personal data ----------------------------------------------------------------------

    async def personal_data(self, user_id: int) -> dict[str, Any]:
        """Cases, answers, votes and presence of this person."""
        cases = await self._db.fetchall(
            "SELECT id, case_text, status, requested_at, starts_at FROM codev_sessions"
            " WHERE client_id = ?",
            (user_id,),
        )
        rsvps = await self._db.fetchall(
            "SELECT session_id, answer, at FROM codev_rsvps WHERE user_id = ?", (user_id,)
        )
        votes = await self._db.fetchall(
            "SELECT session_id, number FROM codev_date_votes WHERE user_id = ?", (user_id,)
        )
        present = await self._db.fetchall(
            "SELECT session_id FROM codev_attendance WHERE user_id = ?", (user_id,)
        )
        return {
            "cases": [dict(r) for r in cases],
            "rsvps": [dict(r) for r in rsvps],
            "date_votes": [dict(r) for r in votes],
            "attended": [r["session_id"] for r in present],
        }

    async def erase_person(self, user_id: int) -> None:
        """Drop this person's cases' text, answers and votes; keep anonymous counts."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE codev_sessions SET client_id = NULL, case_text = '', link = NULL"
                " WHERE client_id = ?",
                (user_id,),
            )
            await tx.execute(
                "UPDATE codev_sessions SET status = 'declined' WHERE client_id IS NULL"
                " AND status IN ('requested', 'polling', 'scheduled')"
            )
            for table in ("codev_rsvps", "codev_date_votes"):
                await tx.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
            await tx.execute(
                "UPDATE codev_attendance SET user_id = NULL WHERE user_id = ?", (user_id,)
            )
