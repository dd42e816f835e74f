"""A network with a known month of activity (``tests.unit.stats.activity``)."""

from __future__ import annotations

import pytest

from bot.services import Services
from tests.unit.stats.activity import seed_march


@pytest.fixture
async def march(services: Services) -> Services:
    """The network with March 2030's activity, members 1 to 7."""
    await seed_march(services)
    return services
