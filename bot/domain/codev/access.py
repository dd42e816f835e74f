"""Who may see what of a co-development group; every refusal is audited the same way."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.codev.model import CodevDenied, Group, Relation, SeatStatus
from bot.domain.members import Role
from bot.domain.membership import MembershipService
from bot.storage.audit import AuditStore
from bot.storage.codev.groups import CodevGroupStore
from bot.storage.group_chats import GroupChatStore


class GroupAccess:
    """Decides access to groups (a group's members and its facilitator only) and audits it."""

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
