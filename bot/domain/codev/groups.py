"""Co-development groups: creation, settings and group chats, over access, ways in and seats."""

from __future__ import annotations

from bot.domain.codev.fields import FIELD_LIMITS, check_field, check_size
from bot.domain.codev.invitations import GroupInvitations
from bot.domain.codev.model import (
    DEFAULT_FOLLOWUP_WEEKS,
    DEFAULT_STEP_MINUTES,
    CodevDenied,
    CodevError,
    Group,
    GroupDraft,
    GroupStats,
    Relation,
    SeatStatus,
    parse_step_minutes,
)
from bot.domain.codev.seats import GroupSeats
from bot.domain.members import Role


class CodevGroups(GroupInvitations, GroupSeats):
    """The rules of forming groups and of access to them; every refusal is audited."""

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
