"""Helpers for the visio domain tests: members and running the due steps by hand."""

from __future__ import annotations

from datetime import time

import pytest

from bot.domain.members import Role
from bot.domain.visio import Notice, VisioService
from bot.services import Services
from tests.conftest import register


async def run_due_steps(visio: VisioService) -> list[Notice]:
    """What the scheduler does: every due step of every session, its notices, then done."""
    notices: list[Notice] = []
    for session_id, _ in await visio.cycle.due_times():
        while (step := await visio.cycle.next_due_step(session_id)) is not None:
            produced = await visio.cycle.run_step(step)
            notices += produced
            await visio.cycle.complete_step(step, bool(produced))
    return notices


@pytest.fixture
async def network(services: Services) -> Services:
    """An animator (900) and three members (1, 2, 3), a second-Tuesday 14:00 slot."""
    await register(services, 900, "Anne")
    await services.members.force_role(900, Role.ANIMATOR)
    for user_id, name in ((1, "Bruno"), (2, "Chloé"), (3, "David")):
        await register(services, user_id, name)
    await services.visio.cycle.set_slot("FREQ=MONTHLY;BYDAY=2TU", time(14), 120)
    return services
