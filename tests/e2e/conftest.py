"""End-to-end fixtures: the real Application polling the Bot API sandbox over HTTP."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.clock import Clock, FrozenClock
from bot.config import Settings
from bot.runtime import BotRuntime
from bot.sandbox import RateLimits, Sandbox, SimUser
from bot.services import Services
from bot.update_processor import FloodLimit
from tests.conformance import check_requests, load_spec
from tests.conftest import ANIMATOR_ID, TEST_TOKEN, register

_user_ids = itertools.count(1001)
# Simulated members act at machine speed: the bot's per-chat flood limit is scaled like the
# sandbox's rates (tests/e2e/test_flood.py checks Telegram's pace itself).
E2E_FLOOD = FloodLimit.scaled(20, burst=60)


class Network:
    """A sandbox, the bot running against it, and helpers to bring members in."""

    def __init__(
        self,
        sandbox: Sandbox,
        settings: Settings,
        clock: Clock | None = None,
        flood: FloodLimit = E2E_FLOOD,
    ) -> None:
        self.sandbox = sandbox
        self.settings = settings
        self.clock = clock
        self.flood = flood
        self.runtime: BotRuntime | None = None

    @property
    def services(self) -> Services:
        assert self.runtime is not None and self.runtime.services is not None
        return self.runtime.services

    async def start(self) -> None:
        self.runtime = BotRuntime(self.settings, clock=self.clock, poll_timeout=1, flood=self.flood)
        await self.runtime.start()

    async def run_due(self) -> list[str]:
        """Run every job due by the (controllable) clock, then let the bot settle."""
        assert self.runtime is not None
        ran = await self.runtime.run_due()
        await self.sandbox.wait_idle()
        return ran

    async def reach(self, instant: datetime, passes: int = 5) -> list[str]:
        """Set the controllable clock to ``instant`` and run what is due until nothing is left.

        A job that creates a send arms it for the same instant: the next pass delivers it.
        """
        return await reach(self.clock, instant, self.run_due, passes)

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop()
            self.runtime = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def newcomer(
        self,
        first_name: str,
        language: str = "fr",
        user_id: int | None = None,
        started: bool = False,
    ) -> SimUser:
        """A Telegram user (who never talked to the bot, unless ``started``)."""
        return self.sandbox.add_user(
            user_id=user_id or next(_user_ids),
            first_name=first_name,
            language_code=language,
            started=started,
        )

    async def begin_onboarding(self, first_name: str = "Chloé", language: str = "fr") -> SimUser:
        """A newcomer who sent /start, accepted the notice and is asked their name."""
        user = self.newcomer(first_name, language)
        await user.send("/start")
        await user.expect("Acceptez-vous" if language == "fr" else "Do you accept")
        await user.tap("✅ J’accepte" if language == "fr" else "✅ I accept")
        await user.expect("Quel nom" if language == "fr" else "What name")
        return user

    async def member(
        self, first_name: str, language: str = "fr", user_id: int | None = None
    ) -> SimUser:
        """A registered member (seeded in the database, chat opened with the bot)."""
        user = self.newcomer(first_name, language, user_id, started=True)
        await register(self.services, user.user_id, first_name, language)
        return user

    async def animator(self, first_name: str = "Anne") -> SimUser:
        """The animator configured through MAILLAGE_ADMINS."""
        return await self.member(first_name, user_id=ANIMATOR_ID)


async def reach(
    clock: Clock, instant: datetime, run_due: Callable[[], Awaitable[list[str]]], passes: int
) -> list[str]:
    """Set a controllable clock to ``instant`` and run what is due until nothing is left."""
    assert isinstance(clock, FrozenClock)
    clock.set(instant)
    ran: list[str] = []
    for _ in range(passes):
        batch = await run_due()
        if not batch:
            break
        ran += batch
    return ran


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    server = Sandbox(token=TEST_TOKEN, rate_limits=RateLimits.telegram(scale=10))
    await server.start()
    yield server
    await server.stop()
    spec = load_spec()
    if spec is not None:
        violations = check_requests(spec, server.requests)
        assert not violations, "requests Telegram would reject:\n" + "\n".join(violations)


@pytest.fixture
async def network(sandbox: Sandbox, settings: Settings, tmp_path: Path) -> AsyncIterator[Network]:
    """The bot on the real clock."""
    configured = replace(settings, api_url=sandbox.api_url, db_path=tmp_path / "e2e.db")
    net = Network(sandbox, configured)
    await net.start()
    yield net
    await net.stop()


@pytest.fixture
async def clocked_network(
    sandbox: Sandbox, settings: Settings, clock: FrozenClock, tmp_path: Path
) -> AsyncIterator[Network]:
    """The bot on a controllable clock (``clock`` fixture): move it, then ``run_due()``."""
    configured = replace(settings, api_url=sandbox.api_url, db_path=tmp_path / "e2e.db")
    net = Network(sandbox, configured, clock)
    await net.start()
    yield net
    await net.stop()
