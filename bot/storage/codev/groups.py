"""SQL for co-development groups, in one store with their seats, ways in and personal data."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.codev.model import Group, GroupDraft, GroupStats, MeetingMode, SeatStatus
from bot.storage.codev.invites import InviteQueries
from bot.storage.codev.personal import GroupPersonalData
from bot.storage.codev.seats import SeatQueries
from bot.storage.db import Database

_GROUP_COLUMNS = (
    "id",
    "name",
    "theme",
    "size_limit",
    "meeting_mode",
    "meeting_detail",
    "charter",
    "facilitator_id",
    "chat_id",
    "step_minutes",
    "followup_weeks",
    "created_at",
)
_GROUP = ", ".join(_GROUP_COLUMNS)
_GROUP_G = ", ".join(f"g.{column}" for column in _GROUP_COLUMNS)


def minutes_text(minutes: tuple[int, ...]) -> str:
    """Time boxes as stored: ``10,15,5,25,10,10``."""
    return ",".join(str(m) for m in minutes)


def minutes_of(text: str) -> tuple[int, ...]:
    """Time boxes read back from storage."""
    return tuple(int(m) for m in text.split(","))


def _group(row: aiosqlite.Row) -> Group:
    return Group(
        id=row["id"],
        name=row["name"],
        theme=row["theme"],
        size_limit=row["size_limit"],
        mode=MeetingMode(row["meeting_mode"]),
        detail=row["meeting_detail"],
        charter=row["charter"],
        facilitator_id=row["facilitator_id"],
        chat_id=row["chat_id"],
        step_minutes=minutes_of(row["step_minutes"]),
        followup_weeks=row["followup_weeks"],
        created_at=from_iso(row["created_at"]),
    )


class CodevGroupStore(SeatQueries, InviteQueries, GroupPersonalData):
    """Reads and writes groups, seats, entries, invitations and code attempts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        draft: GroupDraft,
        facilitator_id: int,
        step_minutes: tuple[int, ...],
        followup_weeks: int,
        at: datetime,
    ) -> int:
        """Insert a group; return its id."""
        async with self._db.transaction() as tx:
            return await tx.insert(
                "INSERT INTO codev_groups (name, theme, size_limit, meeting_mode, meeting_detail,"
                " charter, facilitator_id, step_minutes, followup_weeks, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    draft.name,
                    draft.theme,
                    draft.size_limit,
                    draft.mode.value,
                    draft.detail,
                    draft.charter,
                    facilitator_id,
                    minutes_text(step_minutes),
                    followup_weeks,
                    facilitator_id,
                    to_iso(at),
                ),
            )

    async def get(self, group_id: int) -> Group | None:
        """One group."""
        row = await self._db.fetchone(
            f"SELECT {_GROUP} FROM codev_groups WHERE id = ?", (group_id,)
        )
        return _group(row) if row else None

    async def all(self) -> list[Group]:
        """Every group, by name."""
        rows = await self._db.fetchall(f"SELECT {_GROUP} FROM codev_groups ORDER BY name, id")
        return [_group(row) for row in rows]

    async def of_person(self, user_id: int) -> list[tuple[Group, SeatStatus | None]]:
        """The groups this person facilitates (status None) or has a place in."""
        rows = await self._db.fetchall(
            f"SELECT {_GROUP_G}, s.status AS seat"
            " FROM codev_groups g LEFT JOIN codev_seats s ON s.group_id = g.id AND s.user_id = ?"
            " WHERE g.facilitator_id = ? OR s.user_id IS NOT NULL ORDER BY g.name, g.id",
            (user_id, user_id),
        )
        return [(_group(r), SeatStatus(r["seat"]) if r["seat"] else None) for r in rows]

    async def set_facilitator(self, group_id: int, user_id: int | None) -> None:
        """Change (or clear) the group's facilitator."""
        await self._db.execute(
            "UPDATE codev_groups SET facilitator_id = ? WHERE id = ?", (user_id, group_id)
        )

    async def claim(self, group_id: int, user_id: int) -> bool:
        """Become the facilitator of a group that has none; False if someone already is."""
        changed = await self._db.execute(
            "UPDATE codev_groups SET facilitator_id = ? WHERE id = ? AND facilitator_id IS NULL",
            (user_id, group_id),
        )
        return changed == 1

    async def bind_chat(self, group_id: int, chat_id: int | None) -> None:
        """Bind the group to a Telegram group chat (a chat serves one group at most)."""
        async with self._db.transaction() as tx:
            if chat_id is not None:
                await tx.execute(
                    "UPDATE codev_groups SET chat_id = NULL WHERE chat_id = ?", (chat_id,)
                )
            await tx.execute(
                "UPDATE codev_groups SET chat_id = ? WHERE id = ?", (chat_id, group_id)
            )

    async def set_step_minutes(self, group_id: int, minutes: tuple[int, ...]) -> None:
        """The time boxes used by the group's next guided sessions."""
        await self._db.execute(
            "UPDATE codev_groups SET step_minutes = ? WHERE id = ?",
            (minutes_text(minutes), group_id),
        )

    async def stats(self) -> list[GroupStats]:
        """Counts per group: seats, waiting list, sessions held, attendance."""
        rows = await self._db.fetchall(
            "SELECT g.id, g.name, g.facilitator_id,"
            " (SELECT COUNT(*) FROM codev_seats s WHERE s.group_id = g.id"
            "  AND s.status = 'member') AS members,"
            " (SELECT COUNT(*) FROM codev_seats s WHERE s.group_id = g.id"
            "  AND s.status != 'member') AS waiting,"
            " (SELECT COUNT(*) FROM codev_sessions x WHERE x.group_id = g.id"
            "  AND x.status = 'held') AS held,"
            " (SELECT COUNT(*) FROM codev_attendance a JOIN codev_sessions x"
            "  ON x.id = a.session_id WHERE x.group_id = g.id) AS attendance"
            " FROM codev_groups g ORDER BY g.name, g.id"
        )
        return [
            GroupStats(
                r["id"],
                r["name"],
                r["facilitator_id"] is not None,
                r["members"],
                r["waiting"],
                r["held"],
                r["attendance"],
            )
            for r in rows
        ]
