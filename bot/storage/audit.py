"""SQL for the audit log of privileged actions and refusals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.storage.db import Database


@dataclass(frozen=True)
class AuditEntry:
    """One audited action."""

    at: datetime
    user_id: int | None
    action: str
    allowed: bool
    detail: str


def _entry(row: aiosqlite.Row) -> AuditEntry:
    return AuditEntry(
        at=from_iso(row["at"]),
        user_id=row["user_id"],
        action=row["action"],
        allowed=bool(row["allowed"]),
        detail=row["detail"],
    )


class AuditStore:
    """Appends to and reads the audit log."""

    name = "audit"

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self, at: datetime, user_id: int | None, action: str, allowed: bool, detail: str = ""
    ) -> None:
        """Append one entry."""
        await self._db.execute(
            "INSERT INTO audit_log (at, user_id, action, allowed, detail) VALUES (?, ?, ?, ?, ?)",
            (to_iso(at), user_id, action, int(allowed), detail[:500]),
        )

    async def recent(self, limit: int = 50) -> list[AuditEntry]:
        """The latest entries, newest first."""
        rows = await self._db.fetchall(
            "SELECT at, user_id, action, allowed, detail FROM audit_log ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [_entry(row) for row in rows]

    async def for_user(self, user_id: int) -> list[AuditEntry]:
        """Every entry about this user, oldest first."""
        rows = await self._db.fetchall(
            "SELECT at, user_id, action, allowed, detail FROM audit_log WHERE user_id = ?"
            " ORDER BY id",
            (user_id,),
        )
        return [_entry(row) for row in rows]

    async def export_personal_data(self, user_id: int) -> list[dict[str, object]]:
        """The audited actions of this user, as plain data."""
        return [
            {"at": to_iso(e.at), "action": e.action, "allowed": e.allowed, "detail": e.detail}
            for e in await self.for_user(user_id)
        ]

    async def erase_personal_data(self, user_id: int) -> None:
        """Keep the entries about this user but drop the link to them."""
        await self._db.execute("UPDATE audit_log SET user_id = NULL WHERE user_id = ?", (user_id,))
