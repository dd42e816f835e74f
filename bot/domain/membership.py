"""Registration, profile, roles and reachability of members."""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum
from typing import Any

from bot.clock import Clock, to_iso
from bot.domain.members import Member, Role, clean_profile_value
from bot.domain.privacy import PRIVACY_NOTICE_VERSION
from bot.storage.audit import AuditStore
from bot.storage.members import MemberStore


class RoleChange(StrEnum):
    """Outcome of a role change request."""

    DONE = "done"
    UNCHANGED = "unchanged"
    UNKNOWN_MEMBER = "unknown_member"
    LAST_ANIMATOR = "last_animator"
    NOT_ALLOWED = "not_allowed"


class MembershipService:
    """The rules of joining, editing a profile and holding a role."""

    name = "member"

    def __init__(
        self, store: MemberStore, audit: AuditStore, clock: Clock, admins: frozenset[int]
    ) -> None:
        self._store = store
        self._audit = audit
        self._clock = clock
        self._admins = admins

    async def get(self, user_id: int) -> Member | None:
        """The member, or None if this person never consented (or erased their data)."""
        return await self._store.get(user_id)

    async def accept_privacy(self, user_id: int, language: str) -> Member:
        """Create the member at consent; configured admins start as animators."""
        role = Role.ANIMATOR if user_id in self._admins else Role.MEMBER
        return await self._store.create(
            user_id, language, role, PRIVACY_NOTICE_VERSION, self._clock.now()
        )

    async def refuse_privacy(self, user_id: int) -> None:
        """Record only the refusal itself."""
        await self._store.record_refusal(user_id, PRIVACY_NOTICE_VERSION, self._clock.now())

    async def set_profile_field(self, user_id: int, field: str, text: str) -> str:
        """Validate and store one profile answer; return the stored value."""
        value = clean_profile_value(field, text)
        await self._store.set_field(user_id, field, value, self._clock.now())
        return value

    async def complete_registration(self, user_id: int) -> None:
        """The member confirmed their profile."""
        await self._store.set_registered(user_id, self._clock.now())

    async def set_language(self, user_id: int, language: str) -> None:
        """Change the member's language."""
        await self._store.set_language(user_id, language, self._clock.now())

    async def set_subscribed(self, user_id: int, subscribed: bool) -> None:
        """Opt the member in or out of every broadcast."""
        await self._store.set_subscribed(user_id, subscribed, self._clock.now())

    async def set_reachable(self, user_id: int, reachable: bool) -> None:
        """Track whether the member blocked the bot."""
        await self._store.set_unreachable(user_id, not reachable, self._clock.now())

    async def authorise(
        self,
        user_id: int,
        required: Role,
        action: str,
        detail: str = "",
        target_id: int | None = None,
    ) -> Member | None:
        """The member if registered with ``required`` role or above; audit every refusal.

        A member the action is about goes in ``target_id`` (erasable), never in ``action``.
        """
        member = await self._store.get(user_id)
        allowed = member is not None and member.is_registered and member.has_role(required)
        if required is not Role.MEMBER or not allowed:
            await self._audit.record(
                self._clock.now(), user_id, action, allowed, detail, target_id=target_id
            )
        return member if allowed else None

    async def change_role(self, actor_id: int, target_id: int, role: Role) -> RoleChange:
        """Promote or demote a member; only animators may, and one animator must remain."""
        actor = await self.authorise(
            actor_id, Role.ANIMATOR, "role_change", str(role), target_id=target_id
        )
        if actor is None:
            return RoleChange.NOT_ALLOWED
        target = await self._store.get(target_id)
        if target is None:
            return RoleChange.UNKNOWN_MEMBER
        if target.role is role:
            return RoleChange.UNCHANGED
        if target.role is Role.ANIMATOR and await self._store.count_by_role(Role.ANIMATOR) <= 1:
            return RoleChange.LAST_ANIMATOR
        await self._store.set_role(target_id, role, self._clock.now())
        await self._audit.record(
            self._clock.now(),
            actor_id,
            "role_changed",
            True,
            f"{target.role}->{role}",
            target_id=target_id,
        )
        return RoleChange.DONE

    async def force_role(self, user_id: int, role: Role) -> None:
        """Set a role without an acting animator (seeding a network, never from a handler)."""
        await self._store.set_role(user_id, role, self._clock.now())

    async def staff(self) -> list[Member]:
        """Animators then facilitators."""
        return await self._store.list_by_role(Role.ANIMATOR) + await self._store.list_by_role(
            Role.FACILITATOR
        )

    async def search(self, text: str, limit: int = 10) -> list[Member]:
        """Registered members whose name or organisation contains ``text``."""
        return await self._store.search(text, limit)

    async def export_personal_data(self, user_id: int) -> dict[str, Any] | None:
        """The member row and consent history."""
        member = await self._store.get(user_id)
        data: dict[str, Any] = {"refusals": await self._store.refusals(user_id)}
        if member is not None:
            profile = asdict(member)
            for key, value in profile.items():
                if hasattr(value, "isoformat"):
                    profile[key] = to_iso(value)
            data["profile"] = profile
        return data

    async def erase_personal_data(self, user_id: int) -> None:
        """Delete the member row, refusals and conversation states."""
        await self._store.delete(user_id)
