"""A newsletter to 1,000 Matrix members through a local Synapse: rate, 0 lost, 0 doubled.

Synapse (``bot/matrix/homeserver.py``) limits the bot's account to ``CEILING`` events/s
(``rc_message``, burst ``BURST``); the real bot (``BotRuntime``) sends through the
delivery engine, unchanged, to the Bot API gateway whose members are Matrix users
(``bot/matrix/bridge.py``, paced at the same ceiling). Each member is a Matrix account that
invited the bot into a direct room; the members are seeded as registered. As in
``maillage run --transport matrix``, the engine paces Matrix sends at the account's rate
(its Matrix pacer) and the gateway keeps its state in a file. Afterwards every room is
read back from Synapse: the letter must be there exactly once. Then ``raw sends/s``: the
bot's account sends one event per room straight to Synapse (64 in flight, no bot, no
gateway, retrying after 429s): what this Synapse takes on this machine under the same
limit, the ceiling the newsletter's rate is compared to.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from mautrix.client import ClientAPI
from mautrix.errors import MatrixRequestError
from mautrix.types import PaginationDirection

from bot.config import Settings
from bot.delivery import Content, DeliveryState, Draft, Message
from bot.delivery.engine import DEFAULT_CONCURRENCY
from bot.matrix.bridge import MatrixBridge
from bot.matrix.homeserver import Homeserver, SynapseLimits, synapse_installed
from bot.matrix.state import GatewayState
from bot.runtime import BotRuntime
from bot.sandbox import DEFAULT_TOKEN, RateLimits, Sandbox
from bot.seed import Profile, seed_member

MEMBERS = 1_000
CEILING = 50
BURST = 100
IN_FLIGHT = 8
HEADLINE = "La lettre du réseau"
LETTER = Content({"fr": Message((f"<b>{HEADLINE}</b>\nÀ la une : la visio de mars.",))})
T = TypeVar("T")


async def _limited(jobs: list[Callable[[], Awaitable[T]]], width: int = IN_FLIGHT) -> list[T]:
    gate = asyncio.Semaphore(width)

    async def one(job: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await job()

    return await asyncio.gather(*(one(job) for job in jobs))


async def _open_direct(homeserver: Homeserver, index: int, bot_id: str) -> ClientAPI:
    account = await homeserver.register(f"agent{index}")
    api = ClientAPI(account.user_id, base_url=homeserver.base_url, token=account.access_token)
    await api.create_room(invitees=[bot_id], is_direct=True)
    return api


async def _raw_send(api: ClientAPI, room_id: str) -> None:
    """One event straight from the bot's account, retried after each 429 as asked."""
    while True:
        try:
            await api.send_text(room_id, "ceiling")
            return
        except MatrixRequestError as error:
            if error.http_status != 429:
                raise
            await asyncio.sleep(1.0)


async def _ceiling(api: ClientAPI, rooms: list[str]) -> float:
    """Events/s Synapse takes from the bot's account, one per room, no bot in between.

    As many in flight as the delivery engine has workers (64): with 8, run 2 took 16.6/s.
    """
    started = time.perf_counter()
    await _limited([lambda r=r: _raw_send(api, r) for r in rooms], DEFAULT_CONCURRENCY)
    return len(rooms) / (time.perf_counter() - started)


async def _letters(api: ClientAPI, room_id: str, bot_id: str) -> int:
    page = await api.get_messages(room_id, PaginationDirection.BACKWARD, limit=20)
    return sum(
        1
        for event in page.events
        if event.sender == bot_id and HEADLINE in str(getattr(event.content, "body", ""))
    )


async def _bring_members(homeserver: Homeserver, bridge: MatrixBridge) -> list[ClientAPI]:
    """The members' accounts, each with a direct room the bot has joined."""
    jobs = [lambda i=i: _open_direct(homeserver, i, bridge.user_id) for i in range(MEMBERS)]
    members = await _limited(jobs)
    for _ in range(3_000):  # the bot joins the rooms one after the other
        if len(bridge.rooms) >= MEMBERS:
            break
        await asyncio.sleep(0.2)
    return members


async def _gateway(
    homeserver: Homeserver, folder: Path
) -> tuple[Sandbox, MatrixBridge, BotRuntime, str]:
    """As ``maillage run --transport matrix``: the engine paces Matrix sends at the account's
    rate (its own pacer), the gateway keeps its state in a file. Not started yet."""
    sandbox = Sandbox(token=DEFAULT_TOKEN, rate_limits=RateLimits.off())
    await sandbox.start()
    settings = Settings(bot_token=DEFAULT_TOKEN, api_url=sandbox.api_url, db_path=folder / "m.db")
    bot = await homeserver.register("maillage")
    bridge = MatrixBridge(
        sandbox,
        homeserver.base_url,
        bot.user_id,
        bot.access_token,
        per_second=CEILING,
        state=GatewayState(folder / "m-matrix.sqlite"),
    )
    runtime = BotRuntime(
        settings,
        poll_timeout=1,
        attach=lambda services: services.deliveries.pacers.serve_matrix(CEILING),
    )
    return sandbox, bridge, runtime, bot.user_id


async def _scenario(homeserver: Homeserver, folder: Path) -> dict[str, Any]:
    sandbox, bridge, runtime, bot_user_id = await _gateway(homeserver, folder)
    await runtime.start()
    await bridge.start()
    members: list[ClientAPI] = []
    try:
        started = time.perf_counter()
        members = await _bring_members(homeserver, bridge)
        setup = time.perf_counter() - started
        services = runtime.services
        assert services is not None
        rooms = bridge.rooms
        for user_id in rooms:
            await seed_member(
                services, user_id, Profile("Agent", "France Services", "Drôme", "Accueil")
            )
        engine = services.deliveries
        send_id, audience = await engine.create_send(
            Draft("newsletter", "lettre", LETTER), list(rooms)
        )
        started = time.perf_counter()
        report = await engine.run(send_id)
        elapsed = time.perf_counter() - started
        assert report is not None
        counts = await _limited(
            [lambda r=r: _letters(bridge.api, r, bot_user_id) for r in rooms.values()], 16
        )
        ceiling = await _ceiling(bridge.api, list(rooms.values()))
        return {
            "members": MEMBERS,
            "setup s": round(setup, 1),
            "eligible": audience.eligible,
            "sent": report.counts[DeliveryState.SENT],
            "send s": round(elapsed, 1),
            "letters/s": round(MEMBERS / elapsed, 1),
            "ceiling/s": f"{CEILING} (burst {BURST})",
            "ratio": round(MEMBERS / elapsed / CEILING, 2),
            "raw sends/s": round(ceiling, 1),
            "ratio to raw": round(MEMBERS / elapsed / ceiling, 2),
            "lost": sum(1 for c in counts if c == 0),
            "doubled": sum(1 for c in counts if c > 1),
            "synapse 429": bridge.too_many_requests,
        }
    finally:
        await runtime.stop()
        await bridge.stop()
        await sandbox.stop()
        await asyncio.gather(*(m.api.session.close() for m in members))


async def run() -> list[dict[str, Any]]:
    if not synapse_installed():
        return [{"scenario": "matrix newsletter", "note": "matrix-synapse not installed"}]
    with tempfile.TemporaryDirectory() as folder:
        homeserver = Homeserver(Path(folder) / "synapse", SynapseLimits(CEILING, BURST))
        homeserver.start()
        try:
            await homeserver.wait_serving()
            return [
                {
                    "scenario": "newsletter to Matrix members",
                    **await _scenario(homeserver, Path(folder)),
                }
            ]
        finally:
            homeserver.stop()
