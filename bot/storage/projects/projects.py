"""SQL for projects, their checklist answers and the animators' reviews."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.projects.model import Answer, CriterionAnswer, Project, ProjectStatus
from bot.storage.db import Database

_COLUMNS = (
    "p.id, p.holder_id, p.title, p.problem, p.audience, p.needs, p.step, p.status,"
    " p.max_contributors, p.created_at, p.updated_at, p.idea_campaign, p.idea_theme,"
    " (SELECT COUNT(*) FROM project_contributors c WHERE c.project_id = p.id) AS contributors"
)
_WITHDRAWN = "—"


def project_from_row(row: aiosqlite.Row) -> Project:
    """A Project from a row holding the project columns."""
    return Project(
        id=row["id"],
        holder_id=row["holder_id"],
        title=row["title"],
        problem=row["problem"],
        audience=row["audience"],
        needs=row["needs"],
        step=row["step"],
        status=ProjectStatus(row["status"]),
        max_contributors=row["max_contributors"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
        contributors=row["contributors"],
        idea_campaign=row["idea_campaign"],
        idea_theme=row["idea_theme"],
    )


class ProjectStore:
    """Reads and writes projects and their checklist."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, holder_id: int, title: str, at: datetime, idea: tuple[int, str] | None = None
    ) -> int:
        """A draft project with its title; the other fields come next."""
        campaign, theme = idea if idea else (None, None)
        async with self._db.transaction() as tx:
            return await tx.insert(
                "INSERT INTO projects (holder_id, title, problem, audience, needs, status,"
                " idea_campaign, idea_theme, created_at, updated_at)"
                " VALUES (?, ?, '', '', '', 'draft', ?, ?, ?, ?)",
                (holder_id, title, campaign, theme, to_iso(at), to_iso(at)),
            )

    async def get(self, project_id: int) -> Project | None:
        """One project."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM projects p WHERE p.id = ?", (project_id,)
        )
        return project_from_row(row) if row else None

    async def set_field(self, project_id: int, field: str, value: str, at: datetime) -> None:
        """Write one typed field (``field`` is one of the model's FIELDS, never user text)."""
        assert field in ("title", "problem", "audience", "needs")
        await self._db.execute(
            f"UPDATE projects SET {field} = ?, updated_at = ? WHERE id = ?",
            (value, to_iso(at), project_id),
        )

    async def update(self, project_id: int, at: datetime, **values: int | str | None) -> None:
        """Set the status, step or size limit (names from the code, never user text)."""
        assert set(values) <= {"status", "step", "max_contributors"}
        sets = ", ".join(f"{name} = ?" for name in values)
        await self._db.execute(
            f"UPDATE projects SET {sets}, updated_at = ? WHERE id = ?",
            (*values.values(), to_iso(at), project_id),
        )

    async def touch(self, project_id: int, at: datetime) -> None:
        """The project has news (a note, an answer)."""
        await self._db.execute(
            "UPDATE projects SET updated_at = ? WHERE id = ?", (to_iso(at), project_id)
        )

    async def of_member(self, user_id: int) -> list[Project]:
        """Projects the member holds or contributes to, not withdrawn, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM projects p WHERE p.status != 'withdrawn' AND"
            " (p.holder_id = ? OR EXISTS (SELECT 1 FROM project_contributors c"
            " WHERE c.project_id = p.id AND c.user_id = ?)) ORDER BY p.id DESC",
            (user_id, user_id),
        )
        return [project_from_row(r) for r in rows]

    async def carried(self, limit: int | None = None) -> list[Project]:
        """Active and finished projects, by step then oldest first (the portfolio)."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM projects p WHERE p.status IN ('active', 'done')"
            " ORDER BY p.status, p.step DESC, p.id LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return [project_from_row(r) for r in rows]

    async def carried_between(self, start: datetime, end: datetime) -> list[Project]:
        """Active or finished projects with news between ``start`` and ``end``."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM projects p WHERE p.status IN ('active', 'done')"
            " AND p.created_at <= ? AND p.updated_at >= ? ORDER BY p.step DESC, p.id",
            (to_iso(end), to_iso(start)),
        )
        return [project_from_row(r) for r in rows]

    async def holder_names(self) -> dict[int, str]:
        """The display names of the holders of carried projects."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT m.user_id, m.display_name FROM projects p"
            " JOIN members m ON m.user_id = p.holder_id WHERE p.status IN ('active', 'done')"
        )
        return {r["user_id"]: r["display_name"] or "" for r in rows}

    async def answers(self, project_id: int, step: int) -> list[CriterionAnswer]:
        """The holder's answers to one step's criteria."""
        rows = await self._db.fetchall(
            "SELECT criterion, answer, comment FROM project_answers"
            " WHERE project_id = ? AND step = ?",
            (project_id, step),
        )
        return [CriterionAnswer(r["criterion"], Answer(r["answer"]), r["comment"]) for r in rows]

    async def answer(
        self, project_id: int, step: int, criterion: str, answer: Answer, at: datetime
    ) -> None:
        """Record (or change) the answer to a criterion; its comment stays."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO project_answers (project_id, step, criterion, answer, answered_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (project_id, step, criterion)"
                " DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at",
                (project_id, step, criterion, answer.value, to_iso(at)),
            )
            await tx.execute(
                "UPDATE projects SET updated_at = ? WHERE id = ?", (to_iso(at), project_id)
            )

    async def all_answers(self, project_id: int) -> list[dict[str, Any]]:
        """Every answer of a project, step by step (for the holder's export)."""
        rows = await self._db.fetchall(
            "SELECT step, criterion, answer, comment, answered_at FROM project_answers"
            " WHERE project_id = ? ORDER BY step, criterion",
            (project_id,),
        )
        return [dict(r) for r in rows]

    async def comment(self, project_id: int, step: int, criterion: str, text: str) -> bool:
        """Attach a comment to an answer; False if the answer is not there (any more)."""
        changed = await self._db.execute(
            "UPDATE project_answers SET comment = ?"
            " WHERE project_id = ? AND step = ? AND criterion = ?",
            (text, project_id, step, criterion),
        )
        return changed > 0

    async def review(
        self, project_id: int, step: int, reviewer_id: int, validated: bool, at: datetime
    ) -> None:
        """Record an animator's decision on a step."""
        await self._db.execute(
            "INSERT INTO project_reviews (project_id, step, reviewer_id, validated, reviewed_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (project_id, step, reviewer_id, int(validated), to_iso(at)),
        )

    async def held_by(self, user_id: int) -> list[int]:
        """The ids of the projects the member holds."""
        rows = await self._db.fetchall("SELECT id FROM projects WHERE holder_id = ?", (user_id,))
        return [r["id"] for r in rows]

    async def withdraw_holder(self, user_id: int, at: datetime) -> None:
        """The holder is erased: their projects are withdrawn and emptied of what they typed."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE project_answers SET comment = NULL WHERE project_id IN"
                " (SELECT id FROM projects WHERE holder_id = ?)",
                (user_id,),
            )
            await tx.execute(
                "UPDATE projects SET holder_id = NULL, title = ?, problem = ?, audience = ?,"
                " needs = ?, idea_theme = NULL, status = 'withdrawn', updated_at = ?"
                " WHERE holder_id = ?",
                (_WITHDRAWN, _WITHDRAWN, _WITHDRAWN, _WITHDRAWN, to_iso(at), user_id),
            )
            await tx.execute(
                "UPDATE project_reviews SET reviewer_id = NULL WHERE reviewer_id = ?", (user_id,)
            )
