"""SQL for what a member is about to type (which row a typed answer is for, and a draft).

One row per member in a feature's own table of the same shape (``INPUT_TABLES``), kept
across restarts, so a typed answer after a restart still lands where it belongs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import to_iso
from bot.storage.db import Database


@dataclass(frozen=True)
class PendingInput:
    """The member's next message answers ``kind`` about the row ``ref`` (``draft``: so far)."""

    kind: str
    ref: int | None = None
    draft: str | None = None


INPUT_TABLES = ("visio_inputs", "project_inputs", "faq_inputs")
"""The features' tables of pending inputs (user_id, kind, ref, draft, updated_at)."""


class InputStore:
    """One pending input per member, kept across restarts (``table``: the feature's own)."""

    def __init__(self, db: Database, table: str) -> None:
        if table not in INPUT_TABLES:
            raise ValueError(f"not a table of pending inputs: {table}")
        self._db = db
        self._table = table

    async def set(self, user_id: int, pending: PendingInput, at: datetime) -> None:
        """Remember what the member's next message is for."""
        await self._db.execute(
            f"INSERT INTO {self._table} (user_id, kind, ref, draft, updated_at)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, ref = excluded.ref,"
            " draft = excluded.draft, updated_at = excluded.updated_at",
            (user_id, pending.kind, pending.ref, pending.draft, to_iso(at)),
        )

    async def get(self, user_id: int) -> PendingInput | None:
        """What the member's next message is for, if anything."""
        row = await self._db.fetchone(
            f"SELECT kind, ref, draft FROM {self._table} WHERE user_id = ?", (user_id,)
        )
        return PendingInput(row["kind"], row["ref"], row["draft"]) if row else None

    async def clear(self, user_id: int) -> None:
        """Nothing pending any more."""
        await self._db.execute(f"DELETE FROM {self._table} WHERE user_id = ?", (user_id,))
