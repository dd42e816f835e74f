"""SQL for the imports checked (dry run) and waiting for their animator's confirmation."""

from __future__ import annotations

import json
from datetime import datetime

from bot.clock import to_iso
from bot.storage.db import Database


class ImportStore:
    """One pending import per animator: a token and the card values to write."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def put(self, user_id: int, token: str, rows: list[dict[str, str]], at: datetime) -> None:
        """Keep a checked import (replacing the animator's previous one)."""
        await self._db.execute(
            "INSERT INTO directory_imports (user_id, token, rows, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET token = excluded.token, rows = excluded.rows,"
            " created_at = excluded.created_at",
            (user_id, token, json.dumps(rows, ensure_ascii=False), to_iso(at)),
        )

    async def take(self, user_id: int, token: str) -> list[dict[str, str]] | None:
        """The rows of the animator's pending import if ``token`` is its own; forgotten then."""
        row = await self._db.fetchone(
            "SELECT rows FROM directory_imports WHERE user_id = ? AND token = ?", (user_id, token)
        )
        if row is None:
            return None
        await self.drop(user_id)
        rows: list[dict[str, str]] = json.loads(row["rows"])
        return rows

    async def drop(self, user_id: int) -> bool:
        """Forget the animator's pending import; False if there was none."""
        return bool(
            await self._db.execute("DELETE FROM directory_imports WHERE user_id = ?", (user_id,))
        )

    async def waiting(self, user_id: int) -> bool:
        """True while the animator has an import waiting for confirmation."""
        row = await self._db.fetchone(
            "SELECT 1 FROM directory_imports WHERE user_id = ?", (user_id,)
        )
        return row is not None
