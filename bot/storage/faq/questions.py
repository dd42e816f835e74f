"""SQL for the questions members ask the animators, and what someone is about to type."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.faq.model import Question, QuestionStatus
from bot.storage.db import Database

_QUESTION = (
    "id, user_id, language, text, asked_at, status, answered_by, answer, answered_at, entry_id"
)


def _question(row: aiosqlite.Row) -> Question:
    return Question(
        id=row["id"],
        user_id=row["user_id"],
        language=row["language"],
        text=row["text"],
        asked_at=from_iso(row["asked_at"]),
        status=QuestionStatus(row["status"]),
        answered_by=row["answered_by"],
        answer=row["answer"],
        answered_at=from_iso(row["answered_at"]) if row["answered_at"] else None,
        entry_id=row["entry_id"],
    )


class QuestionStore:
    """Reads and writes members' questions and the pending inputs of the FAQ."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def ask(self, user_id: int, language: str, text: str, now: datetime) -> Question:
        """Record a new question, waiting."""
        async with self._db.transaction() as tx:
            question_id = await tx.insert(
                "INSERT INTO faq_questions (user_id, language, text, asked_at) VALUES (?, ?, ?, ?)",
                (user_id, language, text, to_iso(now)),
            )
        question = await self.get(question_id)
        assert question is not None
        return question

    async def get(self, question_id: int) -> Question | None:
        """One question."""
        row = await self._db.fetchone(
            f"SELECT {_QUESTION} FROM faq_questions WHERE id = ?", (question_id,)
        )
        return _question(row) if row else None

    async def waiting(self) -> list[Question]:
        """The questions still waiting for an answer, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_QUESTION} FROM faq_questions WHERE status = 'waiting' ORDER BY asked_at, id"
        )
        return [_question(row) for row in rows]

    async def answer(self, question_id: int, animator_id: int, answer: str, now: datetime) -> bool:
        """Record the answer if the question still waits (False: answered meanwhile or gone)."""
        return bool(
            await self._db.execute(
                "UPDATE faq_questions SET status = 'answered', answered_by = ?, answer = ?,"
                " answered_at = ? WHERE id = ? AND status = 'waiting'",
                (animator_id, answer, to_iso(now), question_id),
            )
        )

    async def link(self, question_id: int, entry_id: int) -> bool:
        """Note the FAQ entry an answered question became, once (False if already)."""
        return bool(
            await self._db.execute(
                "UPDATE faq_questions SET entry_id = ? WHERE id = ? AND entry_id IS NULL"
                " AND status = 'answered'",
                (entry_id, question_id),
            )
        )

    async def of_member(self, user_id: int) -> list[dict[str, Any]]:
        """The member's questions, for their export."""
        rows = await self._db.fetchall(
            "SELECT text, asked_at, status, answer, answered_at, entry_id IS NOT NULL AS published"
            " FROM faq_questions WHERE user_id = ? ORDER BY id",
            (user_id,),
        )
        return [{**dict(row), "published": bool(row["published"])} for row in rows]

    async def erase(self, user_id: int) -> None:
        """Delete the member's questions and inputs; unlink the answers they gave."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM faq_questions WHERE user_id = ?", (user_id,))
            await tx.execute(
                "UPDATE faq_questions SET answered_by = NULL WHERE answered_by = ?", (user_id,)
            )
            await tx.execute("DELETE FROM faq_inputs WHERE user_id = ?", (user_id,))
