"""The co-development feature as one service: groups, sessions, plans, inputs, personal data."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.codev.groups import CodevGroups
from bot.domain.codev.plans import CodevPlans
from bot.domain.codev.sessions import CodevSessions
from bot.domain.membership import MembershipService
from bot.storage.audit import AuditStore
from bot.storage.codev.groups import CodevGroupStore
from bot.storage.codev.plans import CodevPlanStore
from bot.storage.codev.sessions import CodevSessionStore
from bot.storage.db import Database
from bot.storage.group_chats import GroupChatStore


class CodevService:
    """Entry point of the feature; also a personal data source for /mes_donnees and /supprimer."""

    name = "codev"

    def __init__(
        self,
        db: Database,
        members: MembershipService,
        audit: AuditStore,
        chats: GroupChatStore,
        clock: Clock,
        zone: ZoneInfo,
    ) -> None:
        self._group_store = CodevGroupStore(db)
        self._session_store = CodevSessionStore(db)
        self._plan_store = CodevPlanStore(db)
        self._clock = clock
        self.groups = CodevGroups(self._group_store, members, audit, chats, clock)
        self.sessions = CodevSessions(self._session_store, self.groups, clock, zone)
        self.plans = CodevPlans(
            self._plan_store, self._session_store, self.sessions, self.groups, clock, zone
        )

    async def remember(
        self, user_id: int, kind: str, ref: int | None = None, data: dict[str, Any] | None = None
    ) -> None:
        """Keep what the person's next typed text is for, in the database."""
        await self._plan_store.set_input(user_id, kind, ref, data or {}, self._clock.now())

    async def recall(self, user_id: int, kind: str) -> tuple[int | None, dict[str, Any]] | None:
        """(ref, data) of the person's pending input of ``kind``."""
        return await self._plan_store.get_input(user_id, kind)

    async def forget(self, user_id: int, kind: str) -> None:
        """The pending input is done or abandoned."""
        await self._plan_store.clear_input(user_id, kind)

    async def export_personal_data(self, user_id: int) -> dict[str, Any]:
        """Places in groups, cases, answers, commitments and learnings of the person."""
        return {
            **await self._group_store.personal_data(user_id),
            **await self._session_store.personal_data(user_id),
            **await self._plan_store.personal_data(user_id),
        }

    async def erase_personal_data(self, user_id: int) -> None:
        """Erase the person's content; groups keep anonymous counts of sessions and presence."""
        await self._plan_store.erase_person(user_id)
        await self._session_store.erase_person(user_id)
        await self._group_store.erase_person(user_id)
