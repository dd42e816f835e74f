"""SQL for the Telegram group chats the bot belongs to (features bind them to their purpose)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import from_iso, to_iso
from bot.storage.db import Database


@dataclass(frozen=True)
class GroupChat:
    """A group chat the bot was added to; ``active`` is False once it left or was removed."""

    chat_id: int
    title: str
    active: bool
    updated_at: datetime


class GroupChatStore:
    """Keeps the list of group chats up to date from my_chat_member updates."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, chat_id: int, title: str, active: bool, at: datetime) -> None:
        """The bot joined (active) or left (inactive) this group chat."""
        await self._db.execute(
            "INSERT INTO group_chats (chat_id, title, active, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title,"
            " active = excluded.active, updated_at = excluded.updated_at",
            (chat_id, title, int(active), to_iso(at)),
        )

    async def get(self, chat_id: int) -> GroupChat | None:
        """One group chat, if the bot ever was in it."""
        row = await self._db.fetchone(
            "SELECT chat_id, title, active, updated_at FROM group_chats WHERE chat_id = ?",
            (chat_id,),
        )
        if row is None:
            return None
        return GroupChat(
            row["chat_id"], row["title"], bool(row["active"]), from_iso(row["updated_at"])
        )

    async def active(self) -> list[GroupChat]:
        """The group chats the bot is in now, by title."""
        rows = await self._db.fetchall(
            "SELECT chat_id, title, active, updated_at FROM group_chats WHERE active = 1"
            " ORDER BY title"
        )
        return [GroupChat(r["chat_id"], r["title"], True, from_iso(r["updated_at"])) for r in rows]
