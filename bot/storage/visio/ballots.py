"""SQL for ballots: the topics offered in a session's vote and each member's approvals."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.clock import to_iso
from bot.domain.visio.model import Topic
from bot.storage.db import Database
from bot.storage.visio.topics import topic_from_row


class BallotStore:
    """Reads and writes ballot options and votes (one row per member and approved topic)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def freeze(self, session_id: int, topic_ids: Sequence[int]) -> None:
        """Set the topics offered, in order (once: a ballot never changes after it opens)."""
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT OR IGNORE INTO visio_ballot (session_id, position, topic_id)"
                " VALUES (?, ?, ?)",
                [(session_id, position, topic_id) for position, topic_id in enumerate(topic_ids)],
            )

    async def options(self, session_id: int) -> list[Topic]:
        """The topics offered, in ballot order."""
        rows = await self._db.fetchall(
            "SELECT t.id, t.title, t.description, t.author_id, t.status, t.created_at,"
            " t.merged_into, t.reason FROM visio_ballot b JOIN visio_topics t ON t.id = b.topic_id"
            " WHERE b.session_id = ? ORDER BY b.position",
            (session_id,),
        )
        return [topic_from_row(row) for row in rows]

    async def on_open_ballot(self, topic_id: int) -> bool:
        """True if the topic is offered in a vote that is open now."""
        row = await self._db.fetchone(
            "SELECT 1 FROM visio_ballot b JOIN visio_sessions s ON s.id = b.session_id"
            " WHERE b.topic_id = ? AND s.status = 'voting'",
            (topic_id,),
        )
        return row is not None

    async def ticks(self, session_id: int, user_id: int) -> set[int]:
        """The topics this member approves."""
        rows = await self._db.fetchall(
            "SELECT topic_id FROM visio_votes WHERE session_id = ? AND user_id = ?",
            (session_id, user_id),
        )
        return {row["topic_id"] for row in rows}

    async def toggle(self, session_id: int, user_id: int, topic_id: int, at: datetime) -> bool:
        """Approve the topic, or withdraw the approval; True if it is approved now."""
        async with self._db.transaction() as tx:
            removed = await tx.execute(
                "DELETE FROM visio_votes WHERE session_id = ? AND user_id = ? AND topic_id = ?",
                (session_id, user_id, topic_id),
            )
            if removed:
                return False
            await tx.execute(
                "INSERT INTO visio_votes (session_id, user_id, topic_id, source, at)"
                " VALUES (?, ?, ?, 'private', ?)",
                (session_id, user_id, topic_id, to_iso(at)),
            )
            return True

    async def replace(
        self, session_id: int, user_id: int, topic_ids: Collection[int], at: datetime
    ) -> None:
        """Make ``topic_ids`` the member's whole ballot (an answer in the group's poll)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM visio_votes WHERE session_id = ? AND user_id = ?",
                (session_id, user_id),
            )
            await tx.executemany(
                "INSERT INTO visio_votes (session_id, user_id, topic_id, source, at)"
                " VALUES (?, ?, ?, 'poll', ?)",
                [(session_id, user_id, topic_id, to_iso(at)) for topic_id in topic_ids],
            )

    async def approvals(self, session_id: int) -> tuple[dict[int, int], int]:
        """Approvals per topic and the number of members who approved anything."""
        rows = await self._db.fetchall(
            "SELECT topic_id, COUNT(*) AS n FROM visio_votes WHERE session_id = ?"
            " GROUP BY topic_id",
            (session_id,),
        )
        voters = await self._db.fetchone(
            "SELECT COUNT(DISTINCT user_id) AS n FROM visio_votes WHERE session_id = ?",
            (session_id,),
        )
        return {row["topic_id"]: row["n"] for row in rows}, int(voters["n"]) if voters else 0

    async def record_counts(self, session_id: int, counts: Mapping[int, int]) -> None:
        """Keep the final counts on the ballot (they outlive the members' erasure)."""
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE visio_ballot SET votes = ? WHERE session_id = ? AND topic_id = ?",
                [(votes, session_id, topic_id) for topic_id, votes in counts.items()],
            )

    async def recorded_counts(self, session_id: int) -> dict[int, int] | None:
        """The final counts, None if the ballot was not closed."""
        rows = await self._db.fetchall(
            "SELECT topic_id, votes FROM visio_ballot WHERE session_id = ?", (session_id,)
        )
        if not rows or any(row["votes"] is None for row in rows):
            return None
        return {row["topic_id"]: row["votes"] for row in rows}

    async def votes_of(self, user_id: int) -> list[dict[str, Any]]:
        """The member's approvals, for their data export."""
        rows = await self._db.fetchall(
            "SELECT session_id, topic_id, source, at FROM visio_votes WHERE user_id = ?"
            " ORDER BY session_id, topic_id",
            (user_id,),
        )
        return [dict(row) for row in rows]

    async def erase(self, user_id: int) -> None:
        """Drop this member's approvals (closed ballots keep their recorded counts)."""
        await self._db.execute("DELETE FROM visio_votes WHERE user_id = ?", (user_id,))
