"""A small network for the newsletter tests: an animator and members in two territories."""

from __future__ import annotations

import pytest

from bot.seed import Profile, seed_member
from bot.services import Services
from tests.conftest import ANIMATOR_ID

DROME = (1, 2, 3)
ARDECHE = (4, 5)
ENGLISH = 5


@pytest.fixture
async def network(services: Services) -> Services:
    """Registered members: three in Drôme, two in Ardèche (one English-speaking)."""
    await seed_member(services, ANIMATOR_ID, Profile("Anne", "Réseau", "Drôme", "Animatrice"))
    for user_id in DROME:
        await seed_member(services, user_id, Profile(f"Membre {user_id}", "MFS", "Drôme", "Agent"))
    for user_id in ARDECHE:
        language = "en" if user_id == ENGLISH else "fr"
        profile = Profile(f"Member {user_id}", "MFS", "Ardèche", "Agent")
        await seed_member(services, user_id, profile, language)
    return services
