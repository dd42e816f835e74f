"""SQL for the proposed topics (the backlog)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.visio.model import Topic, TopicStatus
from bot.storage.db import Database

_COLUMNS = "id, title, description, author_id, status, created_at, merged_into, reason"


def topic_from_row(row: aiosqlite.Row) -> Topic:
    """A Topic from a row holding the topic columns."""
    return Topic(
        id=row["id"],
        title=row["title"],
        description=row["description"],
        author_id=row["author_id"],
        status=TopicStatus(row["status"]),
        created_at=from_iso(row["created_at"]),
        merged_into=row["merged_into"],
        reason=row["reason"],
    )


class TopicStore:
    """Reads and writes topics."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, title: str, description: str, norm: str, author_id: int, at: datetime
    ) -> Topic:
        """Insert an open topic."""
        async with self._db.transaction() as tx:
            topic_id = await tx.insert(
                "INSERT INTO visio_topics (title, description, norm, author_id, status,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?)",
                (title, description, norm, author_id, to_iso(at), to_iso(at)),
            )
        topic = await self.get(topic_id)
        assert topic is not None
        return topic

    async def get(self, topic_id: int) -> Topic | None:
        """One topic."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM visio_topics WHERE id = ?", (topic_id,)
        )
        return topic_from_row(row) if row else None

    async def find_same(self, norm: str, exclude: int | None = None) -> Topic | None:
        """An open topic (or one chosen for a session still to come) with this key."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM visio_topics t WHERE norm = ? AND id IS NOT ? AND"
            " (status = 'open' OR (status = 'chosen' AND EXISTS (SELECT 1 FROM visio_sessions s"
            "  WHERE s.topic_id = t.id AND s.status = 'scheduled')))"
            " ORDER BY id LIMIT 1",
            (norm, exclude),
        )
        return topic_from_row(row) if row else None

    async def open_topics(self, limit: int | None = None) -> list[Topic]:
        """The backlog, oldest proposal first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM visio_topics WHERE status = 'open'"
            " ORDER BY created_at, id LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return [topic_from_row(row) for row in rows]

    async def count_open(self) -> int:
        """How many topics wait in the backlog."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM visio_topics WHERE status = 'open'"
        )
        return int(row["n"]) if row else 0

    async def set_text(
        self, topic_id: int, title: str, description: str, norm: str, at: datetime
    ) -> None:
        """Change a topic's title and description."""
        await self._db.execute(
            "UPDATE visio_topics SET title = ?, description = ?, norm = ?, updated_at = ?"
            " WHERE id = ?",
            (title, description, norm, to_iso(at), topic_id),
        )

    async def set_status(
        self,
        topic_ids: Iterable[int],
        status: TopicStatus,
        at: datetime,
        *,
        merged_into: int | None = None,
        reason: str | None = None,
    ) -> None:
        """Move topics to ``status`` (with the merge target or the reason when there is one)."""
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE visio_topics SET status = ?, merged_into = ?, reason = ?, updated_at = ?"
                " WHERE id = ?",
                [(status.value, merged_into, reason, to_iso(at), i) for i in topic_ids],
            )

    async def by_author(self, user_id: int) -> list[Topic]:
        """The topics this member proposed."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM visio_topics WHERE author_id = ? ORDER BY id", (user_id,)
        )
        return [topic_from_row(row) for row in rows]

    async def erase_author(self, user_id: int, at: datetime) -> None:
        """Nothing the member typed stays: their topics go, or keep only a withdrawn mark.

        A topic no ballot, session or merge refers to is deleted. One a ballot counted or a
        session took keeps its row (the counts and the session stay) with an empty title
        and description (shown as "topic withdrawn"); not chosen, it leaves the backlog. A
        session that took one of them loses the title and description copied from it.
        """
        mine = "SELECT id FROM visio_topics WHERE author_id = ?"
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM visio_topics WHERE author_id = ? AND status <> 'chosen'"
                " AND id NOT IN (SELECT topic_id FROM visio_ballot)"
                " AND id NOT IN (SELECT topic_id FROM visio_sessions WHERE topic_id IS NOT NULL)"
                " AND id NOT IN (SELECT merged_into FROM visio_topics"
                "  WHERE merged_into IS NOT NULL)",
                (user_id,),
            )
            await tx.execute(
                f"UPDATE visio_sessions SET title = '', description = '', updated_at = ?"
                f" WHERE topic_id IN ({mine})",
                (to_iso(at), user_id),
            )
            await tx.execute(
                "UPDATE visio_topics SET title = '', description = '', norm = '',"
                " status = CASE status WHEN 'open' THEN 'rejected' ELSE status END,"
                " author_id = NULL, updated_at = ? WHERE author_id = ?",
                (to_iso(at), user_id),
            )
