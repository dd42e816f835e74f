"""SQL for members' responses to campaigns, their answers, aggregates and exports."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.diagnostic.model import Answer, AnswerCount, ExportRow, Response
from bot.storage.db import Database, Transaction

_RESPONSE_COLUMNS = "id, campaign_id, user_id, pseudonym, position, completed_at"
# The guard of every change: the response is where the member saw it, the campaign is open.
# Parameters: response id, expected position, now.
_GUARD = (
    " WHERE id = ? AND position = ? AND campaign_id IN (SELECT id FROM diagnostic_campaigns"
    " WHERE status = 'open' AND closes_at > ?)"
)


def _answer(row: aiosqlite.Row) -> Answer:
    choice = tuple(json.loads(row["choice"])) if row["choice"] else ()
    return Answer(choice, row["text"], bool(row["dont_know"]))


def _answer_params(answer: Answer) -> tuple[str | None, str | None, int]:
    choice = json.dumps(list(answer.choice)) if answer.choice else None
    return choice, answer.text, int(answer.dont_know)


async def _upsert(
    tx: Transaction, response_id: int, question_id: str, answer: Answer, at: str
) -> None:
    await tx.execute(
        "INSERT INTO diagnostic_answers (response_id, question_id, choice, text, dont_know,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (response_id, question_id)"
        " DO UPDATE SET choice = excluded.choice, text = excluded.text,"
        " dont_know = excluded.dont_know, updated_at = excluded.updated_at",
        (response_id, question_id, *_answer_params(answer), at),
    )


class ResponseStore:
    """Reads and writes responses and answers."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, campaign_id: int, user_id: int) -> Response | None:
        """The member's response to the campaign, with its answers."""
        row = await self._db.fetchone(
            f"SELECT {_RESPONSE_COLUMNS} FROM diagnostic_responses"
            " WHERE campaign_id = ? AND user_id = ?",
            (campaign_id, user_id),
        )
        return await self._with_answers(row) if row else None

    async def latest_open(self, user_id: int, now: datetime) -> Response | None:
        """The member's most recently touched response in a campaign still open."""
        row = await self._db.fetchone(
            f"SELECT {_RESPONSE_COLUMNS} FROM diagnostic_responses WHERE user_id = ?"
            " AND campaign_id IN (SELECT id FROM diagnostic_campaigns WHERE status = 'open'"
            " AND closes_at > ?) ORDER BY updated_at DESC, id DESC LIMIT 1",
            (user_id, to_iso(now)),
        )
        return await self._with_answers(row) if row else None

    async def _with_answers(self, row: aiosqlite.Row) -> Response:
        answers = await self._db.fetchall(
            "SELECT question_id, choice, text, dont_know FROM diagnostic_answers"
            " WHERE response_id = ?",
            (row["id"],),
        )
        return Response(
            id=row["id"],
            campaign_id=row["campaign_id"],
            user_id=row["user_id"],
            pseudonym=row["pseudonym"],
            position=row["position"],
            completed_at=from_iso(row["completed_at"]) if row["completed_at"] else None,
            answers={a["question_id"]: _answer(a) for a in answers},
        )

    async def create(self, campaign_id: int, user_id: int, pseudonym: str, now: datetime) -> None:
        """Start the member's response (nothing happens if it exists)."""
        await self._db.execute(
            "INSERT OR IGNORE INTO diagnostic_responses (campaign_id, user_id, pseudonym,"
            " started_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (campaign_id, user_id, pseudonym, to_iso(now), to_iso(now)),
        )

    async def move(
        self,
        response_id: int,
        expected: int,
        position: int,
        now: datetime,
        *,
        answer: tuple[str, Answer] | None = None,
        complete: bool = False,
    ) -> bool:
        """Store ``answer`` (question id, answer) and move to ``position``, atomically.

        Nothing changes (False) unless the response is still at ``expected`` and its
        campaign still accepts answers: two racing taps store one answer.
        """
        at = to_iso(now)
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE diagnostic_responses SET position = ?, updated_at = ?,"
                " completed_at = CASE WHEN ? THEN COALESCE(completed_at, ?) ELSE completed_at"
                " END" + _GUARD,
                (position, at, int(complete), at, response_id, expected, at),
            )
            if changed and answer is not None:
                await _upsert(tx, response_id, answer[0], answer[1], at)
        return changed == 1

    # -- aggregates and exports ---------------------------------------------------------------

    async def respondents(self, campaign_id: int) -> int:
        """Responses holding at least one answer (erased members included)."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM diagnostic_responses AS r WHERE r.campaign_id = ?"
            " AND EXISTS (SELECT 1 FROM diagnostic_answers WHERE response_id = r.id)",
            (campaign_id,),
        )
        return int(row["n"]) if row else 0

    async def answer_counts(self, campaign_id: int) -> list[AnswerCount]:
        """Every distinct choice or "je ne sais pas" per question, with its count."""
        rows = await self._db.fetchall(
            "SELECT a.question_id, a.choice, a.dont_know, COUNT(*) AS n"
            " FROM diagnostic_responses AS r JOIN diagnostic_answers AS a ON a.response_id = r.id"
            " WHERE r.campaign_id = ? AND a.text IS NULL"
            " GROUP BY a.question_id, a.choice, a.dont_know",
            (campaign_id,),
        )
        return [
            AnswerCount(
                row["question_id"],
                tuple(json.loads(row["choice"])) if row["choice"] else (),
                bool(row["dont_know"]),
                row["n"],
            )
            for row in rows
        ]

    async def texts(self, campaign_id: int) -> list[tuple[str, str]]:
        """Every free-text answer as (question id, text), without its author."""
        rows = await self._db.fetchall(
            "SELECT a.question_id, a.text FROM diagnostic_responses AS r"
            " JOIN diagnostic_answers AS a ON a.response_id = r.id"
            " WHERE r.campaign_id = ? AND a.text IS NOT NULL",
            (campaign_id,),
        )
        return [(row["question_id"], row["text"]) for row in rows]

    async def export_rows(self, campaign_id: int, named: bool) -> list[ExportRow]:
        """Responses with answers, by pseudonym; ``named`` adds the member's profile.

        Responses of members who erased their data are left out (their answers remain
        only in the aggregates).
        """
        rows = await self._db.fetchall(
            "SELECT r.id, r.pseudonym, r.completed_at, m.display_name, m.organisation,"
            " m.territory FROM diagnostic_responses AS r"
            " LEFT JOIN members AS m ON m.user_id = r.user_id"
            " WHERE r.campaign_id = ? AND r.user_id IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM diagnostic_answers WHERE response_id = r.id)"
            " ORDER BY r.pseudonym",
            (campaign_id,),
        )
        answers = await self._db.fetchall(
            "SELECT a.response_id, a.question_id, a.choice, a.text, a.dont_know"
            " FROM diagnostic_answers AS a JOIN diagnostic_responses AS r ON r.id = a.response_id"
            " WHERE r.campaign_id = ? AND r.user_id IS NOT NULL",
            (campaign_id,),
        )
        by_response: dict[int, dict[str, Answer]] = {}
        for row in answers:
            by_response.setdefault(row["response_id"], {})[row["question_id"]] = _answer(row)
        return [
            ExportRow(
                pseudonym=row["pseudonym"],
                name=row["display_name"] if named else None,
                organisation=row["organisation"] if named else None,
                territory=row["territory"] if named else None,
                completed_at=from_iso(row["completed_at"]) if row["completed_at"] else None,
                answers=by_response.get(row["id"], {}),
            )
            for row in rows
        ]

    async def participants(self, campaign_id: int) -> list[int]:
        """Members (still known) who gave at least one answer."""
        rows = await self._db.fetchall(
            "SELECT r.user_id FROM diagnostic_responses AS r WHERE r.campaign_id = ?"
            " AND r.user_id IS NOT NULL"
            " AND EXISTS (SELECT 1 FROM diagnostic_answers WHERE response_id = r.id)"
            " ORDER BY r.user_id",
            (campaign_id,),
        )
        return [row["user_id"] for row in rows]

    # -- personal data ------------------------------------------------------------------------

    async def personal_data(self, user_id: int) -> list[dict[str, Any]]:
        """The member's responses and answers, campaign by campaign."""
        rows = await self._db.fetchall(
            "SELECT r.id, r.campaign_id, r.started_at, r.completed_at, a.question_id, a.choice,"
            " a.text, a.dont_know FROM diagnostic_responses AS r"
            " LEFT JOIN diagnostic_answers AS a ON a.response_id = r.id"
            " WHERE r.user_id = ? ORDER BY r.id, a.question_id",
            (user_id,),
        )
        responses: dict[int, dict[str, Any]] = {}
        for row in rows:
            entry = responses.setdefault(
                row["id"],
                {
                    "campaign": row["campaign_id"],
                    "started_at": row["started_at"],
                    "completed_at": row["completed_at"],
                    "answers": {},
                },
            )
            if row["question_id"] is not None:
                answer = _answer(row)
                entry["answers"][row["question_id"]] = {
                    "choice": list(answer.choice),
                    "text": answer.text,
                    "dont_know": answer.dont_know,
                }
        return list(responses.values())

    async def erase_member(self, user_id: int) -> None:
        """Unlink the member from every campaign; their free texts go, their choices stay.

        What remains is anonymous: counted in aggregates, absent from exports and lists.
        Campaigns they launched stay, without their name as author; their draft goes.
        """
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM diagnostic_answers WHERE text IS NOT NULL AND response_id IN"
                " (SELECT id FROM diagnostic_responses WHERE user_id = ?)",
                (user_id,),
            )
            await tx.execute(
                "UPDATE diagnostic_responses SET user_id = NULL WHERE user_id = ?", (user_id,)
            )
            await tx.execute(
                "UPDATE diagnostic_audience SET user_id = NULL WHERE user_id = ?", (user_id,)
            )
            await tx.execute("DELETE FROM diagnostic_drafts WHERE user_id = ?", (user_id,))
            await tx.execute(
                "UPDATE diagnostic_campaigns SET created_by = NULL WHERE created_by = ?",
                (user_id,),
            )
