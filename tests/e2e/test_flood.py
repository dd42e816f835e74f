"""A member who floods the bot gets about one reply a second, told once; others are served."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings
from bot.sandbox import RateLimits, Sandbox
from bot.sandbox.world import RecordedRequest
from bot.update_processor import FloodLimit
from tests.e2e.conftest import Network

FLOOD = 30
FLOOD_SECONDS = 2.0


@pytest.fixture
async def paced_network(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> AsyncIterator[Network]:
    """The bot with Telegram's own per-chat pace, against Telegram's unscaled limits."""
    sandbox.rate_limits = RateLimits.telegram()
    configured = replace(settings, api_url=sandbox.api_url, db_path=tmp_path / "flood.db")
    net = Network(sandbox, configured, flood=FloodLimit())
    await net.start()
    yield net
    await net.stop()


def sends_to(requests: list[RecordedRequest], chat_id: int) -> list[RecordedRequest]:
    return [
        r
        for r in requests
        if r.method.startswith("send") and r.params.get("chat_id") == str(chat_id)
    ]


def busiest_second(times: list[float]) -> int:
    """The most sends in any sliding one-second window."""
    times = sorted(times)
    return max((sum(1 for u in times[i:] if u - t < 1.0) for i, t in enumerate(times)), default=0)


async def test_flooding_member_gets_one_reply_a_second_and_is_told_once(
    paced_network: Network,
) -> None:
    zoe = await paced_network.member("Zoé")
    bruno = await paced_network.member("Bruno", "en")
    start = len(paced_network.sandbox.requests)
    latencies: list[float] = []

    async def flood() -> None:
        for i in range(FLOOD):
            await zoe.send(f"spam {i}")
            await asyncio.sleep(FLOOD_SECONDS / FLOOD)

    async def chat_meanwhile() -> None:
        for _ in range(3):
            await asyncio.sleep(0.5)
            began = time.monotonic()
            await bruno.send("/help")
            await bruno.expect("What I can do")
            latencies.append(time.monotonic() - began)

    await asyncio.gather(flood(), chat_meanwhile())
    await paced_network.sandbox.wait_idle(quiet=1.5, within=30)
    recorded = paced_network.sandbox.requests[start:]
    to_zoe = sends_to(recorded, zoe.user_id)
    texts = [r.params["text"] for r in to_zoe]
    assert busiest_second([r.time for r in to_zoe]) <= 4  # a burst of 3 + the note, then 1/s
    assert len(to_zoe) <= 3 + 1 + FLOOD_SECONDS + 1  # nowhere near one reply a message
    assert sum("Doucement" in text for text in texts) == 1  # told once
    assert all(r.status == 200 for r in to_zoe)  # never over Telegram's per-chat rate
    assert max(latencies) < 1.0, latencies  # the other member is served normally
    assert not any("Easy" in r.params.get("text", "") for r in sends_to(recorded, bruno.user_id))
    assert paced_network.sandbox.stats.too_many_requests == 0
    # Once quiet again, Zoé is answered at once.
    await asyncio.sleep(3)
    await zoe.send("/aide")
    await zoe.expect("Ce que je sais faire")


async def test_every_press_of_a_flood_of_taps_is_answered(paced_network: Network) -> None:
    zoe = await paced_network.member("Zoé", "en")
    await zoe.send("/menu")
    await zoe.expect("what would you like to do")
    start = len(paced_network.sandbox.requests)
    queries = [await zoe.tap_data("nothing:1") for _ in range(20)]
    await paced_network.sandbox.wait_idle(quiet=1.0, within=30)
    recorded = paced_network.sandbox.requests[start:]
    answered = [
        r.params["callback_query_id"] for r in recorded if r.method == "answerCallbackQuery"
    ]
    assert sorted(answered) == sorted(queries)  # every spinner stops, once
    assert zoe.toasts.count("Easy: one tap per second. Try again in a moment.") >= 15
    assert busiest_second([r.time for r in sends_to(recorded, zoe.user_id)]) <= 1


async def test_answers_typed_too_fast_are_not_lost_without_a_word(paced_network: Network) -> None:
    chloe = await paced_network.begin_onboarding("Chloé")  # two updates of her bucket of three
    for name in ("Chloé Martin", "Chloé M.", "Chloé"):
        await chloe.send(name)
    await chloe.expect("Quelle est votre organisation")
    await chloe.expect("Doucement : je traite un message par seconde.")  # after, in order
    member = await paced_network.services.members.get(chloe.user_id)
    assert member is not None and member.display_name == "Chloé Martin"  # the one taken in
    await asyncio.sleep(1.1)
    await chloe.send("France Services Die")  # the conversation goes on where it was
    await chloe.expect("Sur quel territoire")
    await chloe.expect_nothing(within=0.3)
