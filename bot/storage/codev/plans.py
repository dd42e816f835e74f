"""SQL for what sessions leave behind: action plans, learnings, follow-up answers, and inputs."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import aiosqlite

from bot.clock import to_iso
from bot.domain.codev.model import Action, ActionStatus, Learning
from bot.storage.db import Database

_ACTION = "id, session_id, position, text, due_on, status, note"


def _action(row: aiosqlite.Row) -> Action:
    return Action(
        id=row["id"],
        session_id=row["session_id"],
        position=row["position"],
        text=row["text"],
        due_on=date.fromisoformat(row["due_on"]) if row["due_on"] else None,
        status=ActionStatus(row["status"]) if row["status"] else None,
        note=row["note"],
    )


class CodevPlanStore:
    """Reads and writes commitments, learnings and the pending text inputs of people."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- action plans -----------------------------------------------------------------------

    async def actions(self, session_id: int) -> list[Action]:
        """The session's commitments in order (drafts included)."""
        rows = await self._db.fetchall(
            f"SELECT {_ACTION} FROM codev_actions WHERE session_id = ? ORDER BY position",
            (session_id,),
        )
        return [_action(row) for row in rows]

    async def action(self, action_id: int) -> Action | None:
        """One commitment."""
        row = await self._db.fetchone(
            f"SELECT {_ACTION} FROM codev_actions WHERE id = ?", (action_id,)
        )
        return _action(row) if row else None

    async def add_action(self, session_id: int, text: str, limit: int) -> int | None:
        """Append a commitment (no date yet); None if the plan already has ``limit``."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT COUNT(*) AS n FROM codev_actions WHERE session_id = ?", (session_id,)
            )
            count = row["n"] if row else 0
            if count >= limit:
                return None
            return await tx.insert(
                "INSERT INTO codev_actions (session_id, position, text) VALUES (?, ?, ?)",
                (session_id, count + 1, text),
            )

    async def set_due(self, action_id: int, due_on: date) -> None:
        """The date a commitment is for."""
        await self._db.execute(
            "UPDATE codev_actions SET due_on = ? WHERE id = ?", (due_on.isoformat(), action_id)
        )

    async def drop_undated(self, session_id: int) -> None:
        """Forget commitments left without a date (an interrupted plan)."""
        await self._db.execute(
            "DELETE FROM codev_actions WHERE session_id = ? AND due_on IS NULL", (session_id,)
        )

    async def answer(
        self, action_id: int, status: ActionStatus, note: str | None, at: datetime
    ) -> None:
        """How a commitment went."""
        await self._db.execute(
            "UPDATE codev_actions SET status = ?, note = ?, answered_at = ? WHERE id = ?",
            (status.value, note, to_iso(at), action_id),
        )

    async def set_note(self, action_id: int, note: str | None) -> None:
        """The word added to a follow-up answer."""
        await self._db.execute("UPDATE codev_actions SET note = ? WHERE id = ?", (note, action_id))

    # -- learnings --------------------------------------------------------------------------

    async def set_learning(self, session_id: int, user_id: int, text: str, at: datetime) -> None:
        """Record (or replace) what this person learned."""
        await self._db.execute(
            "INSERT INTO codev_learnings (session_id, user_id, text, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (session_id, user_id) DO UPDATE SET text = excluded.text,"
            " at = excluded.at",
            (session_id, user_id, text, to_iso(at)),
        )

    async def learnings(self, session_id: int) -> list[Learning]:
        """What participants learned, in the order they said it."""
        rows = await self._db.fetchall(
            "SELECT session_id, user_id, text FROM codev_learnings WHERE session_id = ?"
            " ORDER BY at",
            (session_id,),
        )
        return [Learning(r["session_id"], r["user_id"], r["text"]) for r in rows]

    # -- pending text inputs ----------------------------------------------------------------

    async def set_input(
        self, user_id: int, kind: str, ref: int | None, data: dict[str, Any], at: datetime
    ) -> None:
        """Remember what the person's next typed text is for (survives restarts)."""
        await self._db.execute(
            "INSERT INTO codev_inputs (user_id, kind, ref, data, at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id, kind) DO UPDATE SET ref = excluded.ref,"
            " data = excluded.data, at = excluded.at",
            (user_id, kind, ref, json.dumps(data, ensure_ascii=False), to_iso(at)),
        )

    async def get_input(self, user_id: int, kind: str) -> tuple[int | None, dict[str, Any]] | None:
        """(ref, data) of a pending input."""
        row = await self._db.fetchone(
            "SELECT ref, data FROM codev_inputs WHERE user_id = ? AND kind = ?", (user_id, kind)
        )
        return (row["ref"], json.loads(row["data"])) if row else None

    async def clear_input(self, user_id: int, kind: str) -> None:
        """The input was given (or abandoned)."""
        await self._db.execute(
            "DELETE FROM codev_inputs WHERE user_id = ? AND kind = ?", (user_id, kind)
        )

    # -- personal data ----------------------------------------------------------------------

    async def personal_data(self, user_id: int) -> dict[str, Any]:
        """Commitments (as client), learnings and pending inputs of this person."""
        actions = await self._db.fetchall(
            "SELECT a.session_id, a.position, a.text, a.due_on, a.status, a.note"
            " FROM codev_actions a JOIN codev_sessions s ON s.id = a.session_id"
            " WHERE s.client_id = ? ORDER BY a.session_id, a.position",
            (user_id,),
        )
        learnings = await self._db.fetchall(
            "SELECT session_id, text, at FROM codev_learnings WHERE user_id = ?", (user_id,)
        )
        inputs = await self._db.fetchall(
            "SELECT kind, ref, data, at FROM codev_inputs WHERE user_id = ?", (user_id,)
        )
        return {
            "actions": [dict(r) for r in actions],
            "learnings": [dict(r) for r in learnings],
            "pending_inputs": [dict(r) for r in inputs],
        }

    async def erase_person(self, user_id: int) -> None:
        """Delete this person's commitments, learnings and inputs (before sessions unlink them)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM codev_actions WHERE session_id IN"
                " (SELECT id FROM codev_sessions WHERE client_id = ?)",
                (user_id,),
            )
            for table in ("codev_learnings", "codev_inputs"):
                await tx.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
