"""500 members voting on the month's topic in the same minute, through the sandbox over HTTP.

The bot runs for real (``BotRuntime``) on a controllable clock set to an open vote; every
member has received the private ballot from the delivery engine before the clock starts.

1. ``ceiling``: a bare python-telegram-bot Application with maillage's plumbing (per-chat
   update processor, paced rate limiter) and its best HTTP pool (8 connections), but no
   database and no domain, answering the same two taps per member with the same edits;
   run before and after maillage on the same sandbox, the better of the two is kept.
2. ``burst``: the 500 members each tick two topics at once (1,000 taps), limits off:
   taps/s, ballots/s, p50/p99 from the tap to the redrawn ballot, ratio to the ceiling.
3. ``poll``: the same 500 answer the group's native poll at once (each answer replaces the
   member's whole ballot): answers/s until the database counts them all.
4. ``one minute``: the 500 tick one topic each at random moments of one minute, under
   Telegram's real limits (30 messages/s overall, 1/s per chat): p50/p99.

After each scenario the ballot is counted from the database: every member exactly once.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes

from bot.clock import FrozenClock
from bot.config import Settings
from bot.delivery import Pacer
from bot.rate_limiter import PacedRateLimiter
from bot.runtime import BotRuntime
from bot.sandbox import DEFAULT_TOKEN, RateLimits, Sandbox, SimGroup, SimUser
from bot.seed import Profile, seed_member
from bot.update_processor import FloodLimit, PerChatUpdateProcessor
from conversations.common import acknowledge

MEMBERS = 500
FIRST_ID = 10_000
TOPICS = ("Accueil des usagers", "Démarches en ligne", "Inclusion numérique")
VOTE_OPEN = datetime(2030, 3, 26, 13, tzinfo=UTC)  # 14:00 Paris, 14 days before 9 April
MINUTE = 60.0
CEILING_RATE = 10_000
CEILING_POOL = 8
"""The bare bot's best HTTP pool here: 52 taps/s with python-telegram-bot's default of 256."""
STEPS = [(f"☐ {TOPICS[0]}", "1 sujet coché"), (f"☐ {TOPICS[1]}", "2 sujets cochés")]
"""Each member ticks two topics, one after the other (the reply is the redrawn ballot)."""

# Simulated members act at machine speed: no per-chat flood limit in the benchmark.
MACHINE_SPEED = FloodLimit.off()


def _figures(latencies: list[float], elapsed: float, done: int) -> dict[str, float]:
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "elapsed_s": round(elapsed, 2),
        "taps_per_s": round(len(latencies) / elapsed, 1),
        "ballots_per_s": round(done / elapsed, 1),
        "p50_ms": round(quantiles[49] * 1000, 1),
        "p99_ms": round(quantiles[98] * 1000, 1),
    }


async def _tap(
    user: SimUser, label: str, reply: str, latencies: list[float], message_id: int | None = None
) -> None:
    started = time.perf_counter()
    await user.tap(label, message_id=message_id)
    await user.expect(reply, timeout=300)
    latencies.append(time.perf_counter() - started)


async def _burst(
    users: list[SimUser], steps: list[tuple[str, str]], ballots: dict[int, int] | None = None
) -> dict[str, float]:
    """Every member does ``steps`` (tap label, expected reply) in order, all members at once."""
    latencies: list[float] = []

    async def member(user: SimUser) -> None:
        for label, reply in steps:
            await _tap(user, label, reply, latencies, (ballots or {}).get(user.user_id))

    started = time.perf_counter()
    await asyncio.gather(*(member(user) for user in users))
    return _figures(latencies, time.perf_counter() - started, len(users))


# -- the ceiling --------------------------------------------------------------------------------


def _ceiling_application(sandbox: Sandbox) -> Application[Any, Any, Any, Any, Any, Any]:
    """Answers a ballot tap with the redrawn ballot, ticks kept in memory, nothing else."""
    ticks: dict[int, set[int]] = {}

    def ballot(ticked: set[int]) -> InlineKeyboardMarkup:
        rows = [
            [InlineKeyboardButton(f"{'☑' if i in ticked else '☐'} {title}", callback_data=str(i))]
            for i, title in enumerate(TOPICS)
        ]
        return InlineKeyboardMarkup(rows)

    async def on_tap(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        mine = ticks.setdefault(query.from_user.id, set())
        mine ^= {int(query.data)}
        await acknowledge(query)
        plural = "s" if len(mine) > 1 else ""
        text = f"Votre bulletin : {len(mine)} sujet{plural} coché{plural}."
        await query.edit_message_text(text, reply_markup=ballot(mine))

    application = (
        ApplicationBuilder()
        .token(sandbox.token)
        .base_url(sandbox.api_url)
        .base_file_url(sandbox.file_url)
        .connection_pool_size(CEILING_POOL)
        .rate_limiter(PacedRateLimiter(Pacer(CEILING_RATE)))
        .concurrent_updates(PerChatUpdateProcessor())
        .build()
    )
    application.add_handler(CallbackQueryHandler(on_tap))
    application.bot_data["ballot"] = ballot(set())
    return application


async def _ceiling(sandbox: Sandbox, first_id: int) -> dict[str, float]:
    users = [sandbox.add_user(first_id + i, f"Témoin{i}", started=True) for i in range(MEMBERS)]
    application = _ceiling_application(sandbox)
    async with application:
        for user in users:
            await application.bot.send_message(
                user.user_id, "Vote", reply_markup=application.bot_data["ballot"]
            )
        await application.start()
        await application.updater.start_polling(timeout=1)
        try:
            return await _burst(users, STEPS)
        finally:
            await application.updater.stop()
            await application.stop()


# -- maillage -----------------------------------------------------------------------------------


async def _network(
    sandbox: Sandbox, database: Path, send_rate: int
) -> tuple[BotRuntime, list[SimUser], SimGroup, dict[int, int]]:
    """The bot on a clock at the vote's opening, 500 members with their ballot (its message
    id by member: the call for proposals may arrive after it), the group."""
    settings = replace(
        Settings(),
        bot_token=DEFAULT_TOKEN,
        api_url=sandbox.api_url,
        db_path=database,
        send_rate=send_rate,
    )
    clock = FrozenClock(datetime(2030, 3, 5, 9, tzinfo=UTC))
    runtime = BotRuntime(settings, clock=clock, poll_timeout=1, flood=MACHINE_SPEED)
    await runtime.start()
    services = runtime.services
    assert services is not None
    users = []
    for i in range(MEMBERS):
        user = sandbox.add_user(FIRST_ID + i, f"Membre{i}", started=True)
        await seed_member(services, user.user_id, Profile(f"Membre {i}", "MFS", "Drôme", "Agent"))
        users.append(user)
    group = sandbox.add_group("Réseau", members=users)
    await sandbox.wait_idle()
    visio = services.visio
    await visio.cycle.set_slot("FREQ=MONTHLY;BYDAY=2TU", clock_time(14), 120)
    await visio.cycle.set_group(group.chat_id)
    for title in TOPICS:
        await visio.topics.propose(users[0].user_id, title)
    clock.set(VOTE_OPEN)
    for _ in range(3):
        await runtime.run_due()
    received = await asyncio.gather(*(user.expect("Vote : visio", timeout=300) for user in users))
    ballots = {user.user_id: m["message_id"] for user, m in zip(users, received, strict=True)}
    return runtime, users, group, ballots


async def _counted(runtime: BotRuntime, expected: dict[str, int]) -> bool:
    """True when the open ballot's approvals are exactly ``expected`` from 500 voters."""
    assert runtime.services is not None
    ballots = runtime.services.visio.ballots
    session = (await ballots.open_votes())[0]
    options = {topic.id: topic.title for topic in (await ballots.view(session.id, 0)).options}
    approvals, voters = await ballots.counts(session.id)
    counted = {options[topic]: count for topic, count in approvals.items()}
    return voters == MEMBERS and counted == expected


async def _poll(runtime: BotRuntime, users: list[SimUser], group: SimGroup) -> dict[str, Any]:
    """Everyone answers the poll with the third topic only, at once; until all are counted."""
    poll = await group.expect_poll("Visio du")
    started = time.perf_counter()
    for user in users:
        await user.answer_poll(poll, [2])
    deadline = started + 300
    counted = False
    while not counted and time.perf_counter() < deadline:
        await asyncio.sleep(0.02)
        counted = await _counted(runtime, {TOPICS[2]: MEMBERS})
    elapsed = time.perf_counter() - started
    return {
        "elapsed_s": round(elapsed, 2),
        "answers_per_s": round(MEMBERS / elapsed, 1),
        "counted_once": counted,
    }


async def _one_minute(users: list[SimUser], ballots: dict[int, int]) -> dict[str, float]:
    """Each member ticks one topic at a random moment of one minute."""
    latencies: list[float] = []
    rng = random.Random(5)

    async def member(user: SimUser) -> None:
        await asyncio.sleep(rng.uniform(0, MINUTE))
        label = f"☐ {TOPICS[1]}"
        await _tap(user, label, "1 sujet coché", latencies, ballots[user.user_id])

    started = time.perf_counter()
    await asyncio.gather(*(member(user) for user in users))
    return _figures(latencies, time.perf_counter() - started, len(users))


async def run() -> list[dict[str, Any]]:
    """Ceiling, burst and poll with limits off; one minute under Telegram's limits."""
    with tempfile.TemporaryDirectory() as folder:
        async with Sandbox(token=DEFAULT_TOKEN, rate_limits=RateLimits.off()) as sandbox:
            before = await _ceiling(sandbox, FIRST_ID + MEMBERS)
            runtime, users, group, ballots = await _network(sandbox, Path(folder) / "a.db", 10_000)
            try:
                burst = await _burst(users, STEPS, ballots)
                burst_exact = await _counted(runtime, {TOPICS[0]: MEMBERS, TOPICS[1]: MEMBERS})
                poll = await _poll(runtime, users, group)
            finally:
                await runtime.stop()
            after = await _ceiling(sandbox, FIRST_ID + 2 * MEMBERS)
            ceiling = max(before, after, key=lambda row: row["taps_per_s"])
        async with Sandbox(token=DEFAULT_TOKEN, rate_limits=RateLimits.telegram()) as sandbox:
            runtime, users, _, ballots = await _network(sandbox, Path(folder) / "b.db", 30)
            try:
                minute = await _one_minute(users, ballots)
                minute_exact = await _counted(runtime, {TOPICS[1]: MEMBERS})
                too_many = sandbox.stats.too_many_requests
            finally:
                await runtime.stop()
    return [
        {
            "scenario": f"ceiling: bare PTB bot, {MEMBERS} members x 2 taps at once, no limits",
            **ceiling,
        },
        {
            "scenario": f"maillage: {MEMBERS} members x 2 taps at once, no limits",
            **burst,
            "ratio": round(burst["taps_per_s"] / ceiling["taps_per_s"], 2),
            "counted_once": burst_exact,
        },
        {"scenario": f"maillage: {MEMBERS} group-poll answers at once, no limits", **poll},
        {
            "scenario": f"maillage: {MEMBERS} members over one minute, Telegram limits",
            **minute,
            "counted_once": minute_exact,
            "http_429": too_many,
        },
    ]
