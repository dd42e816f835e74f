"""SQL for the seats of co-development groups: members, offered seats and the waiting list."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.codev.model import Seat, SeatStatus
from bot.storage.db import Database, Transaction

_SEAT = "group_id, user_id, status, since"


def _seat(row: aiosqlite.Row) -> Seat:
    return Seat(row["group_id"], row["user_id"], SeatStatus(row["status"]), from_iso(row["since"]))


async def _seats_left(tx: Transaction, group_id: int) -> int | None:
    """Seats neither held nor offered in the group (None if there is no such group)."""
    row = await tx.fetchone(
        "SELECT g.size_limit, (SELECT COUNT(*) FROM codev_seats s WHERE s.group_id = g.id"
        " AND s.status IN ('member', 'offered')) AS taken FROM codev_groups g WHERE g.id = ?",
        (group_id,),
    )
    return None if row is None else row["size_limit"] - row["taken"]


async def _offer_next(tx: Transaction, group_id: int, at: datetime) -> int | None:
    """Offer a free seat to the first on the waiting list; return who, if anyone."""
    left = await _seats_left(tx, group_id)
    if left is None or left <= 0:
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


class SeatQueries:
    """Reads and writes who has a seat, an offered seat or a waiting place in a group."""

    _db: Database

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
            left = await _seats_left(tx, group_id)
            assert left is not None
            status = SeatStatus.MEMBER if left > 0 else SeatStatus.WAITING
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
