"""A real Synapse homeserver for the Matrix tests, started once per test session.

Skipped (with the reason) only when ``matrix-synapse`` is not installed and ``CI`` is not
set; under ``CI=true`` a missing Synapse is an error, never a silent skip. A virtualenv
installed before mautrix became a dependency does not collect these tests (outside CI)
instead of failing on the import: ``pip install -e '.[test]'`` brings them back.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.matrix.homeserver import Homeserver, synapse_installed
from bot.runtime import BotRuntime
from bot.sandbox import RateLimits, Sandbox
from bot.update_processor import FloodLimit
from tests.conftest import TEST_TOKEN

MAUTRIX_MISSING = importlib.util.find_spec("mautrix") is None
if MAUTRIX_MISSING and not os.environ.get("CI"):
    collect_ignore_glob = ["test_*.py"]
else:
    from bot.matrix.bridge import MatrixBridge
    from bot.matrix.identity import matrix_user_number
    from bot.matrix.members import serve_members
    from tests.matrix.gateway import MatrixNetwork, new_account


@pytest.fixture(scope="session")
def homeserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Homeserver]:
    if not synapse_installed():
        if os.environ.get("CI"):
            pytest.fail("CI is set but matrix-synapse is not installed: run `make test`")
        pytest.skip("matrix-synapse is not installed (pip install -e '.[test]')")
    server = Homeserver(tmp_path_factory.mktemp("synapse"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def matrix_network(
    homeserver: Homeserver, settings: Settings, tmp_path: Path
) -> AsyncIterator[MatrixNetwork]:
    """The real bot, its Bot API served by the gateway whose members are on Synapse."""
    sandbox = Sandbox(token=TEST_TOKEN, rate_limits=RateLimits.off())
    await sandbox.start()
    configured = replace(settings, api_url=sandbox.api_url, db_path=tmp_path / "matrix.db")
    runtime = BotRuntime(configured, poll_timeout=1, flood=FloodLimit.scaled(20, burst=60))
    await runtime.start()
    bot = await new_account(homeserver, "maillage")
    bridge = MatrixBridge(sandbox, homeserver.base_url, bot.user_id, bot.access_token)
    assert runtime.services is not None
    serve_members(runtime.services, bridge)
    await bridge.start()
    network = MatrixNetwork(homeserver, runtime, bridge)
    yield network
    await network.close()
    await runtime.stop()  # the bot first: stopped after the bridge, it waits 5 s on its sends
    await bridge.stop()
    await sandbox.stop()


@pytest.fixture
async def clocked_matrix_network(
    homeserver: Homeserver, settings: Settings, clock: FrozenClock, tmp_path: Path
) -> AsyncIterator[MatrixNetwork]:
    """The same on a controllable clock, with a Matrix animator (their id in the admins).

    Results show from one respondent (``anonymity_threshold=1``) so one member suffices.
    """
    animator = await new_account(homeserver, "animator")
    sandbox = Sandbox(token=TEST_TOKEN, rate_limits=RateLimits.off())
    await sandbox.start()
    configured = replace(
        settings,
        api_url=sandbox.api_url,
        db_path=tmp_path / "matrix.db",
        admins=frozenset({matrix_user_number(animator.user_id)}),
        anonymity_threshold=1,
    )
    runtime = BotRuntime(
        configured, clock=clock, poll_timeout=1, flood=FloodLimit.scaled(20, burst=60)
    )
    await runtime.start()
    bot = await new_account(homeserver, "maillage")
    bridge = MatrixBridge(sandbox, homeserver.base_url, bot.user_id, bot.access_token)
    assert runtime.services is not None
    serve_members(runtime.services, bridge)
    await bridge.start()
    network = MatrixNetwork(homeserver, runtime, bridge, animator=animator)
    yield network
    await network.close()
    await runtime.stop()  # the bot first: stopped after the bridge, it waits 5 s on its sends
    await bridge.stop()
    await sandbox.stop()
