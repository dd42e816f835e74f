"""SQL for who contributes to a project, its notes and milestones, and pending inputs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import from_iso, to_iso
from bot.domain.projects.model import Note
from bot.storage.db import Database

_NOTE_COLUMNS = "id, project_id, author_id, text, due_at, created_at"


class ContributorStore:
    """Members who joined a project."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def join(self, project_id: int, user_id: int, limit: int | None, at: datetime) -> bool:
        """Add the member unless the project is full (checked in the same statement)."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO project_contributors (project_id, user_id, joined_at)"
            " SELECT ?, ?, ? WHERE ? IS NULL OR (SELECT COUNT(*) FROM project_contributors"
            " WHERE project_id = ?) < ?",
            (project_id, user_id, to_iso(at), limit, project_id, limit),
        )
        return changed > 0

    async def leave(self, project_id: int, user_id: int) -> bool:
        """Remove the member; False if they were not in."""
        changed = await self._db.execute(
            "DELETE FROM project_contributors WHERE project_id = ? AND user_id = ?",
            (project_id, user_id),
        )
        return changed > 0

    async def of(self, project_id: int) -> list[int]:
        """The contributors' ids, first joined first."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM project_contributors WHERE project_id = ? ORDER BY joined_at",
            (project_id,),
        )
        return [r["user_id"] for r in rows]

    async def joined_by(self, user_id: int) -> list[dict[str, Any]]:
        """The projects a member joined (for their export)."""
        rows = await self._db.fetchall(
            "SELECT project_id, joined_at FROM project_contributors WHERE user_id = ?",
            (user_id,),
        )
        return [dict(r) for r in rows]

    async def erase(self, user_id: int) -> None:
        """The member leaves every project."""
        await self._db.execute("DELETE FROM project_contributors WHERE user_id = ?", (user_id,))


class NoteStore:
    """Progress notes and milestones."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        project_id: int,
        author_id: int,
        text: str,
        at: datetime,
        due: tuple[datetime, datetime] | None = None,
    ) -> int:
        """A note (``due``: the milestone's date and when to remind of it)."""
        due_at, remind_at = (to_iso(due[0]), to_iso(due[1])) if due else (None, None)
        async with self._db.transaction() as tx:
            note_id = await tx.insert(
                "INSERT INTO project_notes (project_id, author_id, text, due_at, remind_at,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (project_id, author_id, text, due_at, remind_at, to_iso(at)),
            )
            await tx.execute(
                "UPDATE projects SET updated_at = ? WHERE id = ?", (to_iso(at), project_id)
            )
        return note_id

    async def of(self, project_id: int, limit: int = 5) -> list[Note]:
        """The latest notes of a project, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_NOTE_COLUMNS} FROM project_notes WHERE project_id = ?"
            " ORDER BY created_at DESC, id DESC LIMIT ?",
            (project_id, limit),
        )
        return [_note(r) for r in rows]

    async def get(self, note_id: int) -> Note | None:
        """One note."""
        row = await self._db.fetchone(
            f"SELECT {_NOTE_COLUMNS} FROM project_notes WHERE id = ?", (note_id,)
        )
        return _note(row) if row else None

    async def due_reminders(self) -> list[tuple[int, datetime]]:
        """Milestones whose reminder has not gone out yet, with when it is due."""
        rows = await self._db.fetchall(
            "SELECT id, remind_at FROM project_notes"
            " WHERE remind_at IS NOT NULL AND reminded_at IS NULL"
        )
        return [(r["id"], from_iso(r["remind_at"])) for r in rows]

    async def mark_reminded(self, note_id: int, at: datetime) -> bool:
        """The reminder went out; False if it had already (the job runs once)."""
        changed = await self._db.execute(
            "UPDATE project_notes SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL",
            (to_iso(at), note_id),
        )
        return changed > 0

    async def written_by(self, user_id: int) -> list[dict[str, Any]]:
        """The notes a member wrote (for their export)."""
        rows = await self._db.fetchall(
            "SELECT project_id, text, due_at, created_at FROM project_notes WHERE author_id = ?",
            (user_id,),
        )
        return [dict(r) for r in rows]

    async def erase(self, user_id: int) -> None:
        """Drop the notes a member wrote."""
        await self._db.execute("DELETE FROM project_notes WHERE author_id = ?", (user_id,))


def _note(row: Any) -> Note:
    due = row["due_at"]
    return Note(
        row["id"],
        row["project_id"],
        row["author_id"],
        row["text"],
        from_iso(due) if due else None,
        from_iso(row["created_at"]),
    )
