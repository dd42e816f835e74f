"""SQL for the members table and the consent refusals."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.members import PROFILE_FIELDS, Member, Role
from bot.storage.db import Database

_COLUMNS = (
    "user_id, language, role, display_name, organisation, territory, function, "
    "consent_version, consented_at, registered_at, subscribed, unreachable_at"
)


def _optional_time(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


def _member(row: aiosqlite.Row) -> Member:
    return Member(
        user_id=row["user_id"],
        language=row["language"],
        role=Role(row["role"]),
        display_name=row["display_name"],
        organisation=row["organisation"],
        territory=row["territory"],
        function=row["function"],
        consent_version=row["consent_version"],
        consented_at=from_iso(row["consented_at"]),
        registered_at=_optional_time(row["registered_at"]),
        subscribed=bool(row["subscribed"]),
        unreachable_at=_optional_time(row["unreachable_at"]),
    )


class MemberStore:
    """Reads and writes member rows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> Member | None:
        """The member with this Telegram id, if any."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM members WHERE user_id = ?", (user_id,)
        )
        return _member(row) if row else None

    async def create(
        self, user_id: int, language: str, role: Role, notice_version: str, at: datetime
    ) -> Member:
        """Insert a member who just consented (or refresh the consent of an existing one)."""
        now = to_iso(at)
        await self._db.execute(
            "INSERT INTO members (user_id, language, role, consent_version, consented_at,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET consent_version = excluded.consent_version,"
            " consented_at = excluded.consented_at, updated_at = excluded.updated_at",
            (user_id, language, role.value, notice_version, now, now, now),
        )
        member = await self.get(user_id)
        assert member is not None
        return member

    async def set_field(self, user_id: int, field: str, value: str, at: datetime) -> None:
        """Store one profile answer."""
        if field not in PROFILE_FIELDS:
            raise ValueError(f"not a profile field: {field}")
        await self._db.execute(
            f"UPDATE members SET {field} = ?, updated_at = ? WHERE user_id = ?",
            (value, to_iso(at), user_id),
        )

    async def set_registered(self, user_id: int, at: datetime) -> None:
        """Mark the profile as confirmed (first time only)."""
        await self._db.execute(
            "UPDATE members SET registered_at = COALESCE(registered_at, ?), updated_at = ?"
            " WHERE user_id = ?",
            (to_iso(at), to_iso(at), user_id),
        )

    async def set_language(self, user_id: int, language: str, at: datetime) -> None:
        """Change the member's language."""
        await self._db.execute(
            "UPDATE members SET language = ?, updated_at = ? WHERE user_id = ?",
            (language, to_iso(at), user_id),
        )

    async def set_role(self, user_id: int, role: Role, at: datetime) -> None:
        """Change the member's role."""
        await self._db.execute(
            "UPDATE members SET role = ?, updated_at = ? WHERE user_id = ?",
            (role.value, to_iso(at), user_id),
        )

    async def set_subscribed(self, user_id: int, subscribed: bool, at: datetime) -> None:
        """Subscribe or unsubscribe the member from broadcasts."""
        await self._db.execute(
            "UPDATE members SET subscribed = ?, updated_at = ? WHERE user_id = ?",
            (int(subscribed), to_iso(at), user_id),
        )

    async def set_unreachable(self, user_id: int, unreachable: bool, at: datetime) -> None:
        """Record that the member blocked the bot, or can be reached again."""
        await self._db.execute(
            "UPDATE members SET unreachable_at = ?, updated_at = ? WHERE user_id = ?",
            (to_iso(at) if unreachable else None, to_iso(at), user_id),
        )

    async def count_by_role(self, role: Role) -> int:
        """How many members hold exactly this role."""
        row = await self._db.fetchone("SELECT COUNT(*) AS n FROM members WHERE role = ?", (role,))
        return int(row["n"]) if row else 0

    async def list_by_role(self, role: Role) -> list[Member]:
        """Members holding exactly this role, by name."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM members WHERE role = ? ORDER BY display_name, user_id",
            (role.value,),
        )
        return [_member(row) for row in rows]

    async def delete(self, user_id: int) -> None:
        """Erase the member row and everything personal tied to it."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM members WHERE user_id = ?", (user_id,))
            await tx.execute("DELETE FROM consent_refusals WHERE user_id = ?", (user_id,))
            await tx.execute("DELETE FROM conversation_states WHERE user_id = ?", (user_id,))

    async def record_refusal(self, user_id: int, notice_version: str, at: datetime) -> None:
        """Keep the fact that this person refused the privacy notice."""
        await self._db.execute(
            "INSERT INTO consent_refusals (user_id, notice_version, refused_at) VALUES (?, ?, ?)",
            (user_id, notice_version, to_iso(at)),
        )

    async def refusals(self, user_id: int) -> list[dict[str, str]]:
        """The refusals recorded for this person."""
        rows = await self._db.fetchall(
            "SELECT notice_version, refused_at FROM consent_refusals WHERE user_id = ?",
            (user_id,),
        )
        return [dict(row) for row in rows]

    async def search(self, text: str, limit: int) -> list[Member]:
        """Registered members whose name or organisation contains ``text`` (any case)."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM members WHERE registered_at IS NOT NULL AND"
            " (display_name LIKE ? ESCAPE '\\' OR organisation LIKE ? ESCAPE '\\')"
            " ORDER BY display_name, user_id LIMIT ?",
            (pattern, pattern, limit),
        )
        return [_member(row) for row in rows]
