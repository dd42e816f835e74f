"""Seats of a group: the roster, leaving, removal, and seats offered from the waiting list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.codev.access import GroupAccess
from bot.domain.codev.model import (
    OFFER_VALIDITY,
    CodevDenied,
    CodevError,
    Group,
    Relation,
    Seat,
    SeatStatus,
)
from bot.domain.members import Member


@dataclass(frozen=True)
class Departure:
    """Someone left a group: who got the freed seat offered, and if the facilitator left."""

    group: Group
    offered_to: int | None
    facilitator_left: bool


@dataclass(frozen=True)
class SeatHolder:
    """A seat or waiting-list place with the person's profile (None once erased)."""

    seat: Seat
    member: Member | None


class GroupSeats(GroupAccess):
    """Who holds a seat, and where a freed seat goes: to the first on the waiting list."""

    async def roster(self, group_id: int) -> list[SeatHolder]:
        """Members, offered seats and the waiting list, with their profiles."""
        return [
            SeatHolder(seat, await self._members.get(seat.user_id))
            for seat in await self._store.seats(group_id)
        ]

    async def member_ids(self, group_id: int) -> list[int]:
        """User ids of the group's seated members."""
        seats = await self._store.seats(group_id)
        return [s.user_id for s in seats if s.status is SeatStatus.MEMBER]

    async def leave(self, user_id: int, group_id: int) -> Departure:
        """The person leaves (a facilitator leaves the group without one)."""
        group = await self._store.get(group_id)
        if group is not None and group.facilitator_id == user_id:
            await self._store.set_facilitator(group_id, None)
            await self.audit(user_id, "facilitator_left", True, f"group:{group_id}")
            return Departure(group, None, True)
        seat = await self._store.seat(group_id, user_id) if group else None
        if group is None or seat is None:
            await self.audit(user_id, "leave", False, f"group:{group_id}")
            raise CodevDenied()
        offered = await self._store.free_seat(group_id, user_id, self._clock.now())
        return Departure(group, offered, False)

    async def remove(self, user_id: int, group_id: int, person: int) -> Departure:
        """The facilitator removes a member (or someone on the waiting list)."""
        group, _ = await self.require(user_id, group_id, Relation.FACILITATOR, "remove")
        if await self._store.seat(group_id, person) is None:
            raise CodevError("not_in_group")
        offered = await self._store.free_seat(group_id, person, self._clock.now())
        await self.audit(user_id, "removed", True, f"group:{group_id}", target_id=person)
        return Departure(group, offered, False)

    async def answer_offer(self, user_id: int, group_id: int, accept: bool) -> Departure:
        """Take or leave a seat offered from the waiting list."""
        group = await self._store.get(group_id)
        seat = await self._store.seat(group_id, user_id) if group else None
        if group is None or seat is None or seat.status is not SeatStatus.OFFERED:
            await self.audit(user_id, "offer", False, f"group:{group_id}")
            raise CodevError("offer_gone")
        if accept:
            await self._store.accept_offer(group_id, user_id, self._clock.now())
            return Departure(group, None, False)
        offered = await self._store.free_seat(group_id, user_id, self._clock.now())
        return Departure(group, offered, False)

    async def offers(self) -> list[tuple[int, int, datetime]]:
        """Seats offered and not answered: (group, person, when the offer lapses)."""
        return [
            (g, u, since + OFFER_VALIDITY) for g, u, since in await self._store.expired_offers()
        ]

    async def lapse_offer(self, group_id: int, user_id: int) -> Departure | None:
        """An unanswered offer lapses: the seat goes to the next waiting; None if not due."""
        group = await self._store.get(group_id)
        seat = await self._store.seat(group_id, user_id) if group else None
        now = self._clock.now()
        if group is None or seat is None or seat.status is not SeatStatus.OFFERED:
            return None
        if seat.since + OFFER_VALIDITY > now:
            return None
        offered = await self._store.free_seat(group_id, user_id, now)
        return Departure(group, offered, False)
