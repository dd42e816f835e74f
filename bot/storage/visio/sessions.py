"""SQL for sessions and their timed steps (the due times the scheduler wakes up for)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.visio.model import DueStep, Session, SessionKind, SessionStatus
from bot.storage.db import Database, Transaction

_COLUMNS = (
    "id, kind, status, starts_at, ends_at, title, description, topic_id, link, sequence,"
    " vote_opens_at, vote_closes_at, voters, poll_chat_id, poll_message_id, poll_id, poll_open,"
    " feedback_campaign"
)
_UPDATABLE = frozenset(
    {
        "status",
        "starts_at",
        "ends_at",
        "title",
        "description",
        "topic_id",
        "link",
        "sequence",
        "voters",
        "poll_chat_id",
        "poll_message_id",
        "poll_id",
        "poll_open",
        "feedback_campaign",
    }
)


def _time(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


def _session(row: aiosqlite.Row) -> Session:
    return Session(
        id=row["id"],
        kind=SessionKind(row["kind"]),
        status=SessionStatus(row["status"]),
        starts_at=from_iso(row["starts_at"]),
        ends_at=from_iso(row["ends_at"]),
        title=row["title"],
        description=row["description"],
        topic_id=row["topic_id"],
        link=row["link"],
        sequence=row["sequence"],
        vote_opens_at=_time(row["vote_opens_at"]),
        vote_closes_at=_time(row["vote_closes_at"]),
        voters=row["voters"],
        poll_chat_id=row["poll_chat_id"],
        poll_message_id=row["poll_message_id"],
        poll_id=row["poll_id"],
        poll_open=bool(row["poll_open"]),
        feedback_campaign=row["feedback_campaign"],
    )


def _column_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, bool):
        return int(value)
    return value


async def _insert_steps(
    tx: Transaction, session_id: int, steps: Sequence[tuple[str, datetime]]
) -> None:
    await tx.executemany(
        "INSERT INTO visio_steps (session_id, step, due_at) VALUES (?, ?, ?)",
        [(session_id, name, to_iso(due)) for name, due in steps],
    )


class SessionStore:
    """Reads and writes sessions and steps."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        session: Session,
        steps: Sequence[tuple[str, datetime]],
        at: datetime,
        occurrence: datetime | None = None,
    ) -> Session | None:
        """Insert a session and its steps; None if its occurrence of the rule already exists."""
        async with self._db.transaction() as tx:
            if occurrence is not None and await tx.fetchone(
                "SELECT 1 FROM visio_sessions WHERE occurrence = ?", (to_iso(occurrence),)
            ):
                return None
            session_id = await tx.insert(
                "INSERT INTO visio_sessions (kind, status, occurrence, starts_at, ends_at, title,"
                " description, link, vote_opens_at, vote_closes_at, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session.kind.value,
                    session.status.value,
                    to_iso(occurrence) if occurrence else None,
                    to_iso(session.starts_at),
                    to_iso(session.ends_at),
                    session.title,
                    session.description,
                    session.link,
                    _column_value(session.vote_opens_at),
                    _column_value(session.vote_closes_at),
                    to_iso(at),
                    to_iso(at),
                ),
            )
            await _insert_steps(tx, session_id, steps)
        return await self.get(session_id)

    async def get(self, session_id: int) -> Session | None:
        """One session."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM visio_sessions WHERE id = ?", (session_id,)
        )
        return _session(row) if row else None

    async def by_poll(self, poll_id: str) -> Session | None:
        """The session whose group poll has this id."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM visio_sessions WHERE poll_id = ?", (poll_id,)
        )
        return _session(row) if row else None

    async def between(self, start: datetime, end: datetime) -> list[Session]:
        """Sessions starting in [start, end), in order."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM visio_sessions WHERE starts_at >= ? AND starts_at < ?"
            " ORDER BY starts_at, id",
            (to_iso(start), to_iso(end)),
        )
        return [_session(row) for row in rows]

    async def ending_after(self, instant: datetime) -> list[Session]:
        """Sessions not over at ``instant``, soonest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM visio_sessions WHERE ends_at > ? ORDER BY starts_at, id",
            (to_iso(instant),),
        )
        return [_session(row) for row in rows]

    async def update(self, session_id: int, at: datetime, **fields: Any) -> Session:
        """Change some columns of a session; return it."""
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        await self._db.execute(
            f"UPDATE visio_sessions SET {assignments}, updated_at = ? WHERE id = ?",
            (*(_column_value(v) for v in fields.values()), to_iso(at), session_id),
        )
        session = await self.get(session_id)
        assert session is not None
        return session

    async def delete_planned(self, after: datetime) -> int:
        """Drop the monthly sessions after ``after`` whose vote has not opened; return how many."""
        return await self._db.execute(
            "DELETE FROM visio_sessions WHERE kind = 'monthly' AND status = 'planned'"
            " AND starts_at > ?",
            (to_iso(after),),
        )

    # -- steps ------------------------------------------------------------------------------

    async def next_due_times(self) -> list[tuple[int, datetime]]:
        """Each session with steps still to run, and the earliest of their due times."""
        rows = await self._db.fetchall(
            "SELECT session_id, MIN(due_at) AS due FROM visio_steps WHERE done_at IS NULL"
            " GROUP BY session_id ORDER BY due"
        )
        return [(row["session_id"], from_iso(row["due"])) for row in rows]

    async def next_due_step(self, session_id: int, now: datetime) -> DueStep | None:
        """The earliest step of the session due by ``now`` and not done."""
        row = await self._db.fetchone(
            "SELECT session_id, step, due_at FROM visio_steps WHERE session_id = ?"
            " AND done_at IS NULL AND due_at <= ? ORDER BY due_at, step LIMIT 1",
            (session_id, to_iso(now)),
        )
        return DueStep(row["session_id"], row["step"], from_iso(row["due_at"])) if row else None

    async def pending_steps(self, session_id: int) -> list[DueStep]:
        """The steps of the session not done yet, in order."""
        rows = await self._db.fetchall(
            "SELECT session_id, step, due_at FROM visio_steps WHERE session_id = ?"
            " AND done_at IS NULL ORDER BY due_at, step",
            (session_id,),
        )
        return [DueStep(r["session_id"], r["step"], from_iso(r["due_at"])) for r in rows]

    async def step_done(self, session_id: int, step: str) -> bool:
        """True if this step ran (or was skipped) already."""
        row = await self._db.fetchone(
            "SELECT done_at FROM visio_steps WHERE session_id = ? AND step = ?",
            (session_id, step),
        )
        return row is not None and row["done_at"] is not None

    async def complete_step(self, session_id: int, step: str, outcome: str, at: datetime) -> None:
        """Mark a step done (``outcome``: what it did, e.g. sent or skipped)."""
        await self._db.execute(
            "UPDATE visio_steps SET done_at = ?, outcome = ? WHERE session_id = ? AND step = ?"
            " AND done_at IS NULL",
            (to_iso(at), outcome, session_id, step),
        )

    async def replace_steps(
        self, session_id: int, names: Sequence[str], steps: Sequence[tuple[str, datetime]]
    ) -> None:
        """Drop the steps whose name starts with one of ``names`` (done or not), add ``steps``."""
        async with self._db.transaction() as tx:
            for name in names:
                await tx.execute(
                    "DELETE FROM visio_steps WHERE session_id = ? AND substr(step, 1, ?) = ?",
                    (session_id, len(name), name),
                )
            await _insert_steps(tx, session_id, steps)

    async def skip_pending(self, session_id: int, at: datetime) -> None:
        """Mark every step still to run as skipped (the session was cancelled)."""
        await self._db.execute(
            "UPDATE visio_steps SET done_at = ?, outcome = 'skipped'"
            " WHERE session_id = ? AND done_at IS NULL",
            (to_iso(at), session_id),
        )
