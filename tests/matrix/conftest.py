"""A real Synapse homeserver for the Matrix tests, started once per test session.

Skipped (with the reason) only when ``matrix-synapse`` is not installed and ``CI`` is not
set; under ``CI=true`` a missing Synapse is an error, never a silent skip.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from bot.matrix.homeserver import Account, Homeserver, synapse_installed

_localparts = itertools.count(1)


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


async def new_account(homeserver: Homeserver, prefix: str, *, admin: bool = False) -> Account:
    """A fresh account whose localpart no other test of the session uses."""
    await homeserver.wait_serving()
    return await homeserver.register(f"{prefix}{next(_localparts)}", admin=admin)
