"""SQL for co-development sessions: requests, dates, invitations' answers, steps, reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.codev.model import DateOption, GuideMode, Rsvp, Session, SessionStatus
from bot.storage.codev.groups import minutes_of, minutes_text
from bot.storage.db import Database

_SESSION = (
    "id, group_id, client_id, case_text, status, requested_at, starts_at, link, sequence,"
    " guide_mode, step, step_started_at, step_minutes, held_at, plan_recorded_at,"
    " followup_due_at, followup_done_at"
)


def _optional_time(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


def _session(row: aiosqlite.Row) -> Session:
    return Session(
        id=row["id"],
        group_id=row["group_id"],
        client_id=row["client_id"],
        case=row["case_text"],
        status=SessionStatus(row["status"]),
        requested_at=from_iso(row["requested_at"]),
        starts_at=_optional_time(row["starts_at"]),
        link=row["link"],
        sequence=row["sequence"],
        guide_mode=GuideMode(row["guide_mode"]) if row["guide_mode"] else None,
        step=row["step"],
        step_started_at=_optional_time(row["step_started_at"]),
        step_minutes=minutes_of(row["step_minutes"]),
        held_at=_optional_time(row["held_at"]),
        plan_recorded_at=_optional_time(row["plan_recorded_at"]),
        followup_due_at=_optional_time(row["followup_due_at"]),
        followup_done_at=_optional_time(row["followup_done_at"]),
    )


def _statuses(statuses: Sequence[SessionStatus]) -> str:
    return ", ".join(f"'{s.value}'" for s in statuses)


class CodevSessionStore:
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
            f"SELECT {_SESSION} FROM codev_sessions WHERE id = ?", (session_id,)
        )
        return _session(row) if row else None

    async def of_group(self, group_id: int) -> list[Session]:
        """The group's sessions, oldest request first."""
        rows = await self._db.fetchall(
            f"SELECT {_SESSION} FROM codev_sessions WHERE group_id = ? ORDER BY id", (group_id,)
        )
        return [_session(row) for row in rows]

    async def open_of_client(
        self, group_id: int, client_id: int, statuses: Sequence[SessionStatus]
    ) -> Session | None:
        """The client's session in one of ``statuses`` in this group, if any."""
        row = await self._db.fetchone(
            f"SELECT {_SESSION} FROM codev_sessions WHERE group_id = ? AND client_id = ?"
            f" AND status IN ({_statuses(statuses)}) ORDER BY id LIMIT 1",
            (group_id, client_id),
        )
        return _session(row) if row else None

    async def move(
        self, session_id: int, to: SessionStatus, allowed_from: Sequence[SessionStatus]
    ) -> bool:
        """Change the status if it is one of ``allowed_from``; False otherwise."""
        changed = await self._db.execute(
            f"UPDATE codev_sessions SET status = ? WHERE id = ?"
            f" AND status IN ({_statuses(allowed_from)})",
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
                f" sequence = sequence + 1 WHERE id = ? AND status IN ({_statuses(allowed_from)})",
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

    # -- quick time poll --------------------------------------------------------------------

    async def offer_dates(
        self, session_id: int, dates: Sequence[datetime], allowed_from: Sequence[SessionStatus]
    ) -> bool:
        """Replace the dates offered and move the session to polling."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE codev_sessions SET status = 'polling' WHERE id = ?"
                f" AND status IN ({_statuses(allowed_from)})",
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

    # -- invitation answers and attendance --------------------------------------------------

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

    # -- guided steps -----------------------------------------------------------------------

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
            f"SELECT {_SESSION} FROM codev_sessions WHERE status = 'running' AND step_alerted = 0"
        )
        return [_session(row) for row in rows]

    async def claim_step_alert(self, session_id: int, step: int) -> bool:
        """Take the alert of ``step`` once; False if it was taken or the step moved on."""
        changed = await self._db.execute(
            "UPDATE codev_sessions SET step_alerted = 1 WHERE id = ? AND status = 'running'"
            " AND step = ? AND step_alerted = 0",
            (session_id, step),
        )
        return changed == 1

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

    # -- rotation and follow-up -------------------------------------------------------------

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
