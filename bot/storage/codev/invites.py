"""SQL for the ways into a co-development group: requests, invitation links, wrong codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.codev.model import Entry, Invite
from bot.storage.db import Database

_ENTRY = "group_id, user_id, invite_id, requested_at, approved_at"


def _optional_time(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


def _entry(row: aiosqlite.Row) -> Entry:
    return Entry(
        row["group_id"],
        row["user_id"],
        row["invite_id"],
        from_iso(row["requested_at"]),
        _optional_time(row["approved_at"]),
    )


class InviteQueries:
    """Reads and writes requests and invitations used (entries), links and code attempts."""

    _db: Database

    async def put_entry(
        self, group_id: int, user_id: int, invite_id: int | None, at: datetime
    ) -> None:
        """Record an invitation used or a request; an invitation replaces a request."""
        await self._db.execute(
            "INSERT INTO codev_entries (group_id, user_id, invite_id, requested_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (group_id, user_id) DO UPDATE SET"
            " invite_id = COALESCE(excluded.invite_id, invite_id),"
            " requested_at = excluded.requested_at",
            (group_id, user_id, invite_id, to_iso(at)),
        )

    async def entry(self, group_id: int, user_id: int) -> Entry | None:
        """The person's way into the group, if any."""
        row = await self._db.fetchone(
            f"SELECT {_ENTRY} FROM codev_entries WHERE group_id = ? AND user_id = ?",
            (group_id, user_id),
        )
        return _entry(row) if row else None

    async def entries_of(self, user_id: int) -> list[Entry]:
        """The person's ways in, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_ENTRY} FROM codev_entries WHERE user_id = ? ORDER BY requested_at",
            (user_id,),
        )
        return [_entry(row) for row in rows]

    async def requests(self, group_id: int) -> list[Entry]:
        """Requests to join waiting for the facilitator, oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_ENTRY} FROM codev_entries WHERE group_id = ? AND invite_id IS NULL"
            " AND approved_at IS NULL ORDER BY requested_at",
            (group_id,),
        )
        return [_entry(row) for row in rows]

    async def approve_entry(self, group_id: int, user_id: int, at: datetime) -> bool:
        """The facilitator approved the request; False if there was none pending."""
        changed = await self._db.execute(
            "UPDATE codev_entries SET approved_at = ? WHERE group_id = ? AND user_id = ?"
            " AND approved_at IS NULL",
            (to_iso(at), group_id, user_id),
        )
        return changed == 1

    async def delete_entry(self, group_id: int, user_id: int) -> bool:
        """Drop a way in (refused, declined); False if there was none."""
        changed = await self._db.execute(
            "DELETE FROM codev_entries WHERE group_id = ? AND user_id = ?", (group_id, user_id)
        )
        return changed == 1

    async def new_invite(
        self, group_id: int, code_hash: str, by: int, at: datetime, expires_at: datetime
    ) -> int:
        """A new invitation link; the group's older links are revoked."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE codev_invites SET revoked_at = ? WHERE group_id = ? AND revoked_at IS NULL",
                (to_iso(at), group_id),
            )
            return await tx.insert(
                "INSERT INTO codev_invites (group_id, code_hash, created_by, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?)",
                (group_id, code_hash, by, to_iso(at), to_iso(expires_at)),
            )

    async def invite_by_hash(self, code_hash: str) -> Invite | None:
        """The invitation whose code hashes to this."""
        return await self._invite("code_hash", code_hash)

    async def invite(self, invite_id: int) -> Invite | None:
        """One invitation."""
        return await self._invite("id", invite_id)

    async def _invite(self, column: str, value: Any) -> Invite | None:
        row = await self._db.fetchone(
            f"SELECT id, group_id, expires_at, revoked_at FROM codev_invites WHERE {column} = ?",
            (value,),
        )
        if row is None:
            return None
        return Invite(
            row["id"],
            row["group_id"],
            from_iso(row["expires_at"]),
            _optional_time(row["revoked_at"]),
        )

    async def revoke_invites(self, group_id: int, at: datetime) -> int:
        """Revoke every live link of the group; return how many."""
        return await self._db.execute(
            "UPDATE codev_invites SET revoked_at = ? WHERE group_id = ? AND revoked_at IS NULL",
            (to_iso(at), group_id),
        )

    async def record_wrong_code(self, user_id: int, at: datetime) -> None:
        """Count one wrong, expired or revoked code from this person."""
        await self._db.execute(
            "INSERT INTO codev_code_attempts (user_id, at) VALUES (?, ?)", (user_id, to_iso(at))
        )

    async def wrong_codes_since(self, user_id: int, since: datetime) -> list[datetime]:
        """The person's wrong codes after ``since``, oldest first."""
        rows = await self._db.fetchall(
            "SELECT at FROM codev_code_attempts WHERE user_id = ? AND at > ? ORDER BY at",
            (user_id, to_iso(since)),
        )
        return [from_iso(r["at"]) for r in rows]
