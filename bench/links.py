"""Linked accounts (``python -m bench links``): what the router and ``/lier`` cost.

1. ``link, service``: LINKS registered Telegram members each ask for a code and a Matrix
   account types it (``LinkService.new_code`` + ``link``: purge, wrong-try count, hash,
   checks, the insert and the snapshot update), one after the other: ms per link.
2. ``snapshot load``: the services opened again over those LINKS links (the snapshot read
   at start, on top of opening and migrating the database).
3. ``lookups``: ``member_of`` and ``route_of`` on the snapshot, as the router asks for
   every update and every send, over a mix of linked accounts, members and strangers;
   against ``DirectAddressing`` (the ceiling: no links at all).

``BENCH_LINKS`` overrides LINKS for a quick run.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.seed import Profile, seed_member
from bot.services import Services
from bot.transports import MATRIX_ID_BASE, Addressing, DirectAddressing, Transport

LINKS = int(os.environ.get("BENCH_LINKS", "4000"))
LOOKUPS = 1_000_000
TOKEN = "123456789:AAH-bench-token-for-maillage-sandbox"


def _settings(folder: Path) -> Settings:
    return Settings(bot_token=TOKEN, db_path=folder / "links.db", admins=frozenset())


async def _link_all(services: Services) -> list[float]:
    """Seed the members, then link a Matrix account to each; the time of each link."""
    profile = Profile("Membre", "France Services", "Drôme", "Agent")
    for number in range(1, LINKS + 1):
        await seed_member(services, number, profile)
    latencies = []
    for number in range(1, LINKS + 1):
        started = time.perf_counter()
        code, _ = await services.links.new_code(number)
        await services.links.link(MATRIX_ID_BASE + number, code)
        latencies.append(time.perf_counter() - started)
    for number in range(1, LINKS + 1, 2):  # half of them read their messages on Tchap
        await services.links.send_to(number, Transport.MATRIX)
    return latencies


def _lookups(addressing: Addressing) -> float:
    """Lookups per second over linked accounts, members and strangers (one of each a turn)."""
    ids = [
        (MATRIX_ID_BASE + 1 + n % LINKS, 1 + n % LINKS, LINKS + 1 + n) for n in range(LOOKUPS // 6)
    ]
    started = time.perf_counter()
    for account, member, stranger in ids:
        addressing.member_of(account)
        addressing.route_of(member)
        addressing.member_of(member)
        addressing.route_of(account)
        addressing.member_of(stranger)
        addressing.route_of(stranger)
    return 6 * len(ids) / (time.perf_counter() - started)


async def run() -> list[dict[str, Any]]:
    """The three measures, one row each."""
    with tempfile.TemporaryDirectory() as folder:
        settings = _settings(Path(folder))
        services = await Services.open(settings)
        latencies = await _link_all(services)
        await services.close()
        started = time.perf_counter()
        reopened = await Services.open(settings)
        load = time.perf_counter() - started
        assert reopened.addressing.member_of(MATRIX_ID_BASE + 1) == 1
        linked = _lookups(reopened.addressing)
        await reopened.close()
    cuts = statistics.quantiles(latencies, n=100)
    direct = _lookups(DirectAddressing())
    return [
        {
            "case": "link, service",
            "links": LINKS,
            "p50_ms": round(cuts[49] * 1000, 2),
            "p99_ms": round(cuts[98] * 1000, 2),
        },
        {"case": "snapshot load (open services)", "links": LINKS, "seconds": round(load, 3)},
        {"case": "lookups, LinkedAddressing", "links": LINKS, "per_s": round(linked)},
        {
            "case": "lookups, DirectAddressing",
            "per_s": round(direct),
            "ratio": round(linked / direct, 2),
        },
    ]
