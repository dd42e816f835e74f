"""SQL for conversation states kept across restarts."""

from __future__ import annotations

import json

from bot.clock import Clock, SystemClock, to_iso
from bot.storage.db import Database

ConversationKey = tuple[str | int, ...]


class ConversationStore:
    """One row per (conversation name, key) with the member's current state.

    Each row remembers when it last changed, so that retention can drop stale ones.
    """

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()

    async def load(self, name: str) -> dict[ConversationKey, object]:
        """Every stored state of one conversation."""
        rows = await self._db.fetchall(
            "SELECT key, state FROM conversation_states WHERE name = ?", (name,)
        )
        return {tuple(json.loads(row["key"])): json.loads(row["state"]) for row in rows}

    async def save(self, name: str, key: ConversationKey, state: object | None) -> None:
        """Store a state, or forget it when ``state`` is None (conversation ended)."""
        encoded_key = json.dumps(list(key))
        if state is None:
            await self._db.execute(
                "DELETE FROM conversation_states WHERE name = ? AND key = ?", (name, encoded_key)
            )
            return
        user_id = key[-1] if key and isinstance(key[-1], int) else None
        await self._db.execute(
            "INSERT INTO conversation_states (name, key, user_id, state, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, key) DO UPDATE SET"
            " state = excluded.state, updated_at = excluded.updated_at",
            (name, encoded_key, user_id, json.dumps(state), to_iso(self._clock.now())),
        )
