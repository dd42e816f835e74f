"""A co-development world on a fresh database: a facilitator, members, a group."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.clock import FrozenClock
from bot.domain.codev.model import Group, GroupDraft, MeetingMode
from bot.domain.codev.service import CodevService
from bot.domain.members import Role
from bot.services import Services
from tests.conftest import ANIMATOR_ID, register

FACILITATOR_ID = 500
MEMBER_IDS = (501, 502, 503, 504, 505, 506, 507, 508, 509)
OUTSIDER_ID = 599

DRAFT = GroupDraft(
    name="Directeurs de projet",
    theme="Conduite du changement",
    size_limit=4,
    mode=MeetingMode.VIDEO,
    detail="https://visio.example.org/codev",
    charter="Ce qui se dit dans le groupe reste dans le groupe.",
)


@dataclass
class World:
    """Services, the clock and a group of four with its facilitator."""

    services: Services
    clock: FrozenClock
    group: Group

    @property
    def codev(self) -> CodevService:
        return self.services.codev

    async def seat(self, *user_ids: int) -> None:
        """Bring people in through an invitation and the charter."""
        code, _, _ = await self.codev.groups.new_invite(FACILITATOR_ID, self.group.id)
        for user_id in user_ids:
            await self.codev.groups.use_code(user_id, code)
            await self.codev.groups.accept_charter(user_id, self.group.id)


@pytest.fixture
async def world(services: Services, clock: FrozenClock) -> World:
    await register(services, ANIMATOR_ID, "Anne")
    await register(services, FACILITATOR_ID, "Fanny")
    await services.members.force_role(FACILITATOR_ID, Role.FACILITATOR)
    for number, user_id in enumerate((*MEMBER_IDS, OUTSIDER_ID)):
        await register(services, user_id, f"Membre {number}")
    group = await services.codev.groups.create(FACILITATOR_ID, DRAFT)
    return World(services, clock, group)
