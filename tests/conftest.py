"""Fixtures shared by every test layer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.seed import Profile, seed_member
from bot.services import Services

TEST_TOKEN = "123456789:AAH-test-token-for-maillage-sandbox"
ANIMATOR_ID = 900


@pytest.fixture
def clock() -> FrozenClock:
    # In the future on purpose: jobs armed in APScheduler (real time) never fire during a test;
    # tests move this clock and call ``run_due`` instead.
    return FrozenClock(datetime(2030, 3, 5, 9, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        bot_token=TEST_TOKEN,
        db_path=tmp_path / "maillage.db",
        admins=frozenset({ANIMATOR_ID}),
        network_name="Réseau France Services Drôme",
    )


@pytest.fixture
async def services(settings: Settings, clock: FrozenClock) -> AsyncIterator[Services]:
    opened = await Services.open(settings, clock)
    yield opened
    await opened.close()


async def register(services: Services, user_id: int, name: str, language: str = "fr") -> None:
    """A fully registered member, as if they had gone through /start."""
    profile = Profile(name, "France Services Die", "Drôme", "Agent d'accueil")
    await seed_member(services, user_id, profile, language)
