"""Co-development groups: creation, who may see what, invitations, seats and waiting lists."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.codev.model import (
    CHARTER_MAX,
    CODE_WINDOW,
    DEFAULT_FOLLOWUP_WEEKS,
    DEFAULT_STEP_MINUTES,
    DETAIL_MAX,
    INVITE_VALIDITY,
    MAX_SIZE,
    MAX_WRONG_CODES,
    MIN_SIZE,
    NAME_MAX,
    OFFER_VALIDITY,
    THEME_MAX,
    CodevDenied,
    CodevError,
    Group,
    GroupDraft,
    GroupStats,
    MeetingMode,
    Relation,
    Seat,
    SeatStatus,
    clean_text,
    parse_step_minutes,
)
from bot.domain.members import Member, Role
from bot.domain.membership import MembershipService
from bot.storage.audit import AuditStore
from bot.storage.codev.groups import CodevGroupStore
from bot.storage.group_chats import GroupChatStore

CODE_BYTES = 16
_CODE = re.compile(r"^[A-Za-z0-9_-]{16,43}$")
_LINK = re.compile(r"^https?://\S+$")
FIELD_LIMITS = {"name": NAME_MAX, "theme": THEME_MAX, "detail": DETAIL_MAX, "charter": CHARTER_MAX}


def hash_code(code: str) -> str:
    """What is stored of an invitation code: its SHA-256."""
    return hashlib.sha256(code.encode()).hexdigest()


def check_field(field: str, text: str | None, mode: MeetingMode | None = None) -> str:
    """A group's typed field, normalised; a video group's detail must be a web link."""
    if field not in FIELD_LIMITS:
        raise ValueError(f"not a group field: {field}")
    value = clean_text(text, FIELD_LIMITS[field], one_paragraph=field != "charter")
    if field == "detail" and mode is MeetingMode.VIDEO:
        check_link(value)
    return value


def check_link(value: str) -> str:
    """A video link: one http(s) address, nothing else."""
    if not _LINK.match(value):
        raise CodevError("link_expected")
    return value


def check_size(size: int) -> int:
    """A group size within the method's 4 to 8 peers."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise CodevError("size", low=MIN_SIZE, high=MAX_SIZE)
    return size


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


class CodevGroups:
    """The rules of forming groups and of access to them; every refusal is audited."""

    def __init__(
        self,
        store: CodevGroupStore,
        members: MembershipService,
        audit: AuditStore,
        chats: GroupChatStore,
        clock: Clock,
    ) -> None:
        self._store = store
        self._members = members
        self._audit = audit
        self._chats = chats
        self._clock = clock

    # -- access -----------------------------------------------------------------------------

    async def get(self, group_id: int) -> Group | None:
        """One group (no access check: for jobs and notices)."""
        return await self._store.get(group_id)

    async def relation(self, user_id: int, group: Group) -> Relation:
        """What the person is to the group now (role and seat re-read)."""
        if group.facilitator_id == user_id:
            member = await self._members.get(user_id)
            if member is not None and member.has_role(Role.FACILITATOR):
                return Relation.FACILITATOR
        seat = await self._store.seat(group.id, user_id)
        if seat is not None and seat.status is SeatStatus.MEMBER:
            return Relation.MEMBER
        return Relation.OUTSIDER

    async def require(
        self, user_id: int, group_id: int | None, need: Relation, action: str
    ) -> tuple[Group, Relation]:
        """The group if the person is its facilitator (or a member when ``need`` allows).

        Refusals are audited and raise CodevDenied, whether the group exists or not;
        facilitators' decisions are audited too.
        """
        group = await self._store.get(group_id) if group_id is not None else None
        relation = await self.relation(user_id, group) if group else Relation.OUTSIDER
        allowed = relation is Relation.FACILITATOR or (
            need is Relation.MEMBER and relation is Relation.MEMBER
        )
        if need is Relation.FACILITATOR or not allowed:
            await self.audit(user_id, action, allowed, f"group:{group_id}")
        if group is None or not allowed:
            raise CodevDenied()
        return group, relation

    async def audit(
        self,
        user_id: int,
        action: str,
        allowed: bool,
        detail: str = "",
        target_id: int | None = None,
    ) -> None:
        """Record one decision about co-development (about ``target_id``) in the audit log."""
        await self._audit.record(
            self._clock.now(), user_id, f"codev_{action}", allowed, detail, target_id=target_id
        )

    # -- groups -----------------------------------------------------------------------------

    async def create(self, user_id: int, draft: GroupDraft) -> Group:
        """A new group facilitated by its creator (a facilitator or an animator)."""
        member = await self._members.authorise(user_id, Role.FACILITATOR, "codev_create")
        if member is None:
            raise CodevDenied()
        check_size(draft.size_limit)
        for field in FIELD_LIMITS:
            check_field(field, getattr(draft, field), draft.mode)
        group_id = await self._store.create(
            draft, user_id, DEFAULT_STEP_MINUTES, DEFAULT_FOLLOWUP_WEEKS, self._clock.now()
        )
        group = await self._store.get(group_id)
        assert group is not None
        return group

    async def of_person(self, user_id: int) -> list[tuple[Group, SeatStatus | None]]:
        """The person's groups: facilitated (None) or with a seat, offer or waiting place."""
        return await self._store.of_person(user_id)

    async def open_to_requests(self, user_id: int) -> list[Group]:
        """Groups with a facilitator the person has no place in."""
        mine = {group.id for group, _ in await self._store.of_person(user_id)}
        return [
            g for g in await self._store.all() if g.id not in mine and g.facilitator_id is not None
        ]

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

    async def stats(self) -> list[GroupStats]:
        """Counts for animators: never names of cases or content."""
        return await self._store.stats()

    async def set_step_minutes(self, user_id: int, group_id: int, text: str) -> tuple[int, ...]:
        """The facilitator changes the group's time boxes."""
        await self.require(user_id, group_id, Relation.FACILITATOR, "step_minutes")
        minutes = parse_step_minutes(text)
        await self._store.set_step_minutes(group_id, minutes)
        return minutes

    async def claim(self, user_id: int, group_id: int) -> Group:
        """A facilitator takes over a group left without one."""
        member = await self._members.authorise(user_id, Role.FACILITATOR, "codev_claim")
        group = await self._store.get(group_id)
        if member is None or group is None:
            raise CodevDenied()
        if not await self._store.claim(group_id, user_id):
            raise CodevError("has_facilitator")
        await self.audit(user_id, "claimed", True, f"group:{group_id}")
        return group

    # -- invitations ------------------------------------------------------------------------

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

    # -- requests and charter ---------------------------------------------------------------

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

    # -- leaving, removal, waiting list -----------------------------------------------------

    async def place(self, user_id: int, group_id: int) -> Group:
        """The group if the person facilitates it or has any place in it (seat, offer, list)."""
        group = await self._store.get(group_id)
        inside = group is not None and (
            group.facilitator_id == user_id or await self._store.seat(group_id, user_id) is not None
        )
        if group is None or not inside:
            await self.audit(user_id, "place", False, f"group:{group_id}")
            raise CodevDenied()
        return group

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

    # -- group chat -------------------------------------------------------------------------

    async def bindable(self, user_id: int) -> list[Group]:
        """Groups the person facilitates (candidates to bind to a group chat)."""
        groups = []
        for group, status in await self._store.of_person(user_id):
            if status is None and await self.relation(user_id, group) is Relation.FACILITATOR:
                groups.append(group)
        return groups

    async def bind_chat(self, user_id: int, group_id: int, chat_id: int) -> Group:
        """Bind the group to a Telegram group chat the bot is in."""
        group, _ = await self.require(user_id, group_id, Relation.FACILITATOR, "bind")
        chat = await self._chats.get(chat_id)
        if chat is None or not chat.active:
            raise CodevError("chat_unknown")
        await self._store.bind_chat(group_id, chat_id)
        return group

    async def unbind_chat(self, user_id: int, group_id: int) -> Group:
        """Forget the group's Telegram group chat."""
        group, _ = await self.require(user_id, group_id, Relation.FACILITATOR, "unbind")
        await self._store.bind_chat(group_id, None)
        return group

    async def chat_title(self, group: Group) -> str | None:
        """The title of the group's chat if the bot is still in it."""
        if group.chat_id is None:
            return None
        chat = await self._chats.get(group.chat_id)
        return chat.title if chat is not None and chat.active else None
