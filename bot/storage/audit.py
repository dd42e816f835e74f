"""SQL for the audit log of privileged actions and refusals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.storage.db import Database

_COLUMNS = "id, at, user_id, action, allowed, detail, target_id"


@dataclass(frozen=True)
class AuditEntry:
    """One audited action: who acted (``user_id``) and whom it was about (``target_id``)."""

    at: datetime
    user_id: int | None
    action: str
    allowed: bool
    detail: str
    target_id: int | None = None
    id: int = 0


def _entry(row: aiosqlite.Row) -> AuditEntry:
    return AuditEntry(
        at=from_iso(row["at"]),
        user_id=row["user_id"],
        action=row["action"],
        allowed=bool(row["allowed"]),
        detail=row["detail"],
        target_id=row["target_id"],
        id=row["id"],
    )


def _plain(entry: AuditEntry, role: str) -> dict[str, object]:
    return {
        "at": to_iso(entry.at),
        "as": role,
        "action": entry.action,
        "allowed": entry.allowed,
        "detail": entry.detail,
    }


class AuditStore:
    """Appends to and reads the audit log."""

    name = "audit"

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self,
        at: datetime,
        user_id: int | None,
        action: str,
        allowed: bool,
        detail: str = "",
        *,
        target_id: int | None = None,
    ) -> None:
        """Append one entry; a member the action is about goes in ``target_id``, never in text."""
        await self._db.execute(
            "INSERT INTO audit_log (at, user_id, action, allowed, detail, target_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (to_iso(at), user_id, action, int(allowed), detail[:500], target_id),
        )

    async def recent(self, limit: int = 50) -> list[AuditEntry]:
        """The latest entries, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_entry(row) for row in rows]

    async def between(self, start: datetime | None, end: datetime | None) -> list[AuditEntry]:
        """Entries at or after ``start`` and before ``end`` (None: unbounded), oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM audit_log WHERE (? IS NULL OR at >= ?)"
            " AND (? IS NULL OR at < ?) ORDER BY at, id",
            (
                *(2 * [to_iso(start) if start else None]),
                *(2 * [to_iso(end) if end else None]),
            ),
        )
        return [_entry(row) for row in rows]

    async def for_user(self, user_id: int) -> list[AuditEntry]:
        """Every entry of this user's own actions, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM audit_log WHERE user_id = ? ORDER BY id", (user_id,)
        )
        return [_entry(row) for row in rows]

    async def about(self, user_id: int) -> list[AuditEntry]:
        """Every entry of someone else's action on this user, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM audit_log WHERE target_id = ? AND user_id IS NOT ?"
            " ORDER BY id",
            (user_id, user_id),
        )
        return [_entry(row) for row in rows]

    async def export_personal_data(self, user_id: int) -> list[dict[str, object]]:
        """The user's audited actions ("actor"), then others' actions about them ("target")."""
        return [_plain(e, "actor") for e in await self.for_user(user_id)] + [
            _plain(e, "target") for e in await self.about(user_id)
        ]

    async def erase_personal_data(self, user_id: int) -> None:
        """Keep the entries (the network's accountability) but drop every link to this user."""
        async with self._db.transaction() as tx:
            await tx.execute("UPDATE audit_log SET user_id = NULL WHERE user_id = ?", (user_id,))
            await tx.execute(
                "UPDATE audit_log SET target_id = NULL WHERE target_id = ?", (user_id,)
            )
