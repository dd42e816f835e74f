"""Ways into a group: invitation codes, requests to the facilitator, the charter to accept."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from datetime import datetime

from bot.domain.codev.access import GroupAccess
from bot.domain.codev.model import (
    CODE_WINDOW,
    INVITE_VALIDITY,
    MAX_WRONG_CODES,
    CodevDenied,
    CodevError,
    Group,
    Relation,
    Seat,
    SeatStatus,
)
from bot.domain.codev.seats import SeatHolder

CODE_BYTES = 16
_CODE = re.compile(r"^[A-Za-z0-9_-]{16,43}$")


def hash_code(code: str) -> str:
    """What is stored of an invitation code: its SHA-256."""
    return hashlib.sha256(code.encode()).hexdigest()


class GroupInvitations(GroupAccess):
    """Invitation links (unguessable, hashed, expiring, revocable), requests and the charter."""

    async def new_invite(self, user_id: int, group_id: int) -> tuple[str, Group, datetime]:
        """A fresh unguessable code for the group's link, and until when it works.

        Older links of the group stop working.
        """
        group, _ = await self.require(user_id, group_id, Relation.FACILITATOR, "invite")
        code = secrets.token_urlsafe(CODE_BYTES)
        now = self._clock.now()
        expires = now + INVITE_VALIDITY
        await self._store.new_invite(group_id, hash_code(code), user_id, now, expires)
        return code, group, expires

    async def revoke_invites(self, user_id: int, group_id: int) -> int:
        """Stop every link of the group; return how many were live."""
        await self.require(user_id, group_id, Relation.FACILITATOR, "revoke")
        return await self._store.revoke_invites(group_id, self._clock.now())

    async def use_code(self, user_id: int, code: str) -> Group:
        """Check an invitation code (too many wrong ones slow the person down) and keep it.

        The person may not be registered yet: the way in is kept in the database until
        they accept the charter.
        """
        now = self._clock.now()
        recent = await self._store.wrong_codes_since(user_id, now - CODE_WINDOW)
        if len(recent) >= MAX_WRONG_CODES:
            wait = recent[-MAX_WRONG_CODES] + CODE_WINDOW - now
            await self.audit(user_id, "code_slowed", False)
            raise CodevError("slowed", minutes=max(1, math.ceil(wait.total_seconds() / 60)))
        invite = await self._store.invite_by_hash(hash_code(code)) if _CODE.match(code) else None
        problem = None
        if invite is None:
            problem = "code_wrong"
        elif invite.revoked_at is not None:
            problem = "code_revoked"
        elif invite.expires_at <= now:
            problem = "code_expired"
        if problem is not None or invite is None:
            await self._store.record_wrong_code(user_id, now)
            await self.audit(user_id, "code", False, problem or "")
            raise CodevError(problem or "code_wrong")
        group = await self._store.get(invite.group_id)
        assert group is not None
        await self._refuse_if_inside(user_id, group)
        await self._store.put_entry(group.id, user_id, invite.id, now)
        return group

    async def _refuse_if_inside(self, user_id: int, group: Group) -> None:
        if group.facilitator_id == user_id:
            raise CodevError("you_facilitate", group=group.name)
        seat = await self._store.seat(group.id, user_id)
        if seat is not None:
            raise CodevError(f"already_{seat.status}", group=group.name)

    async def request_join(self, user_id: int, group_id: int) -> Group:
        """Ask the facilitator for a seat."""
        group = await self._store.get(group_id)
        if group is None:
            await self.audit(user_id, "request", False, f"group:{group_id}")
            raise CodevDenied()
        await self._refuse_if_inside(user_id, group)
        if group.facilitator_id is None:
            raise CodevError("no_facilitator")
        entry = await self._store.entry(group_id, user_id)
        if entry is not None:
            raise CodevError("charter_pending" if entry.ready else "already_requested")
        await self._store.put_entry(group_id, user_id, None, self._clock.now())
        return group

    async def requests(self, user_id: int, group_id: int) -> list[SeatHolder]:
        """Requests waiting for the facilitator's decision."""
        await self.require(user_id, group_id, Relation.FACILITATOR, "requests")
        now = self._clock.now()
        return [
            SeatHolder(
                Seat(group_id, e.user_id, SeatStatus.WAITING, now),
                await self._members.get(e.user_id),
            )
            for e in await self._store.requests(group_id)
        ]

    async def decide(self, user_id: int, group_id: int, person: int, approve: bool) -> Group | None:
        """Approve or refuse a request; None if it was already decided."""
        group, _ = await self.require(user_id, group_id, Relation.FACILITATOR, "decide")
        entry = await self._store.entry(group_id, person)
        if entry is None or entry.ready:
            return None
        if approve:
            await self._store.approve_entry(group_id, person, self._clock.now())
        else:
            await self._store.delete_entry(group_id, person)
        return group

    async def waiting_charters(self, user_id: int) -> list[Group]:
        """Groups whose charter the person still has to accept to come in."""
        groups = []
        for entry in await self._store.entries_of(user_id):
            group = await self._store.get(entry.group_id)
            if entry.ready and group is not None:
                groups.append(group)
        return groups

    async def accept_charter(self, user_id: int, group_id: int) -> tuple[Group, SeatStatus]:
        """Come in with the charter accepted: a seat, or the waiting list if the group is full."""
        entry = await self._store.entry(group_id, user_id)
        group = await self._store.get(group_id)
        if entry is None or not entry.ready or group is None:
            await self.audit(user_id, "charter", False, f"group:{group_id}")
            raise CodevDenied()
        if entry.invite_id is not None:
            invite = await self._store.invite(entry.invite_id)
            if invite is None or invite.revoked_at is not None:
                await self._store.delete_entry(group_id, user_id)
                raise CodevError("code_revoked")
            if invite.expires_at <= self._clock.now():
                await self._store.delete_entry(group_id, user_id)
                raise CodevError("code_expired")
        await self._refuse_if_inside(user_id, group)
        return group, await self._store.take_seat(group_id, user_id, self._clock.now())

    async def decline_charter(self, user_id: int, group_id: int) -> bool:
        """The person does not accept the charter: the way in is dropped."""
        return await self._store.delete_entry(group_id, user_id)
