"""SQL for co-development groups: the groups, their seats, ways in, invitations and code tries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.codev.model import (
    Entry,
    Group,
    GroupDraft,
    GroupStats,
    Invite,
    MeetingMode,
    Seat,
    SeatStatus,
)
from bot.storage.db import Database, Transaction

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
_SEAT = "group_id, user_id, status, since"
_ENTRY = "group_id, user_id, invite_id, requested_at, approved_at"


def _optional_time(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


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


def _seat(row: aiosqlite.Row) -> Seat:
    return Seat(row["group_id"], row["user_id"], SeatStatus(row["status"]), from_iso(row["since"]))


def _entry(row: aiosqlite.Row) -> Entry:
    return Entry(
        row["group_id"],
        row["user_id"],
        row["invite_id"],
        from_iso(row["requested_at"]),
        _optional_time(row["approved_at"]),
    )


async def _offer_next(tx: Transaction, group_id: int, at: datetime) -> int | None:
    """Offer a free seat to the first on the waiting list; return who, if anyone."""
    row = await tx.fetchone(
        "SELECT g.size_limit, (SELECT COUNT(*) FROM codev_seats s WHERE s.group_id = g.id"
        " AND s.status IN ('member', 'offered')) AS taken FROM codev_groups g WHERE g.id = ?",
        (group_id,),
    )
    if row is None or row["taken"] >= row["size_limit"]:
        return None
    first = await tx.fetchone(
        "SELECT user_id FROM codev_seats WHERE group_id = ? AND status = 'waiting'"
        " ORDER BY since, rowid LIMIT 1",
        (group_id,),
    )
    if first is None:
        return None
    await tx.execute(
        "UPDATE codev_seats SET status = 'offered', since = ? WHERE group_id = ? AND user_id = ?",
        (to_iso(at), group_id, first["user_id"]),
    )
    return int(first["user_id"])


class CodevGroupStore:
    """Reads and writes groups, seats, entries, invitations and code attempts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- groups -----------------------------------------------------------------------------

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

    # -- seats ------------------------------------------------------------------------------

    async def seat(self, group_id: int, user_id: int) -> Seat | None:
        """The person's place in the group, if any."""
        row = await self._db.fetchone(
            f"SELECT {_SEAT} FROM codev_seats WHERE group_id = ? AND user_id = ?",
            (group_id, user_id),
        )
        return _seat(row) if row else None

    async def seats(self, group_id: int) -> list[Seat]:
        """Everyone with a place: members, then offered, then the waiting list in order."""
        rows = await self._db.fetchall(
            f"SELECT {_SEAT} FROM codev_seats WHERE group_id = ? ORDER BY"
            " CASE status WHEN 'member' THEN 0 WHEN 'offered' THEN 1 ELSE 2 END, since, rowid",
            (group_id,),
        )
        return [_seat(row) for row in rows]

    async def take_seat(self, group_id: int, user_id: int, at: datetime) -> SeatStatus:
        """Seat the person (charter accepted), or put them on the waiting list if full."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT g.size_limit, (SELECT COUNT(*) FROM codev_seats s WHERE s.group_id = g.id"
                " AND s.status IN ('member', 'offered')) AS taken FROM codev_groups g"
                " WHERE g.id = ?",
                (group_id,),
            )
            assert row is not None
            status = SeatStatus.MEMBER if row["taken"] < row["size_limit"] else SeatStatus.WAITING
            await tx.execute(
                "INSERT INTO codev_seats (group_id, user_id, status, since, charter_accepted_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (group_id, user_id, status.value, to_iso(at), to_iso(at)),
            )
            await tx.execute(
                "DELETE FROM codev_entries WHERE group_id = ? AND user_id = ?", (group_id, user_id)
            )
            return status

    async def free_seat(self, group_id: int, user_id: int, at: datetime) -> int | None:
        """Remove the person's place; offer a freed seat to the next waiting; return who."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM codev_seats WHERE group_id = ? AND user_id = ?", (group_id, user_id)
            )
            return await _offer_next(tx, group_id, at)

    async def accept_offer(self, group_id: int, user_id: int, at: datetime) -> bool:
        """The offered seat is taken; False if it was not offered (any more)."""
        changed = await self._db.execute(
            "UPDATE codev_seats SET status = 'member', since = ? WHERE group_id = ?"
            " AND user_id = ? AND status = 'offered'",
            (to_iso(at), group_id, user_id),
        )
        return changed == 1

    async def expired_offers(self) -> list[tuple[int, int, datetime]]:
        """Every seat offered and not answered yet: (group, person, offered at)."""
        rows = await self._db.fetchall(
            "SELECT group_id, user_id, since FROM codev_seats WHERE status = 'offered'"
        )
        return [(r["group_id"], r["user_id"], from_iso(r["since"])) for r in rows]

    # -- entries (ways in) ------------------------------------------------------------------

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

    # -- invitations ------------------------------------------------------------------------

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

    # -- wrong codes ------------------------------------------------------------------------

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

    # -- personal data ----------------------------------------------------------------------

    async def personal_data(self, user_id: int) -> dict[str, Any]:
        """Places, ways in and code attempts of this person."""
        seats = await self._db.fetchall(
            "SELECT g.name, s.status, s.since, s.charter_accepted_at FROM codev_seats s"
            " JOIN codev_groups g ON g.id = s.group_id WHERE s.user_id = ?",
            (user_id,),
        )
        entries = await self._db.fetchall(
            "SELECT g.name, e.requested_at, e.approved_at FROM codev_entries e"
            " JOIN codev_groups g ON g.id = e.group_id WHERE e.user_id = ?",
            (user_id,),
        )
        facilitated = await self._db.fetchall(
            "SELECT name FROM codev_groups WHERE facilitator_id = ?", (user_id,)
        )
        attempts = await self._db.fetchall(
            "SELECT at FROM codev_code_attempts WHERE user_id = ?", (user_id,)
        )
        return {
            "seats": [dict(r) for r in seats],
            "entries": [dict(r) for r in entries],
            "facilitated_groups": [r["name"] for r in facilitated],
            "wrong_codes": [r["at"] for r in attempts],
        }

    async def erase_person(self, user_id: int) -> None:
        """Remove this person's places, ways in and attempts; unlink them from groups.

        What they typed as a facilitator goes too: the charter and usual meeting place of
        the groups they created or facilitate (shown as the default charter and "to be
        given"), the links of those groups' sessions; their invitations lose their author.
        """
        async with self._db.transaction() as tx:
            for table in ("codev_seats", "codev_entries", "codev_code_attempts"):
                await tx.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
            await tx.execute(
                "UPDATE codev_sessions SET link = NULL WHERE group_id IN"
                " (SELECT id FROM codev_groups WHERE facilitator_id = ?)",
                (user_id,),
            )
            await tx.execute(
                "UPDATE codev_groups SET charter = '', meeting_detail = ''"
                " WHERE facilitator_id = ? OR created_by = ?",
                (user_id, user_id),
            )
            await tx.execute(
                "UPDATE codev_invites SET created_by = NULL WHERE created_by = ?", (user_id,)
            )
            await tx.execute(
                "UPDATE codev_groups SET facilitator_id = NULL WHERE facilitator_id = ?",
                (user_id,),
            )
            await tx.execute(
                "UPDATE codev_groups SET created_by = NULL WHERE created_by = ?", (user_id,)
            )
