"""Co-development at the scale of the State's community: 25 groups of 8, 200 co-developers.

Every row goes through the sandbox over HTTP with its limits off (the code's cost, not
Telegram's pace). The ceiling is the same running bot answering its cheapest button, the
menu's "Aide" (role re-read, one message, no feature logic), measured in the same run
before and after the feature's rows; ratios are against the mean of the two.

1. ceiling: the 200 members press "Aide" at once; one member presses it 20 times in a row.
2. the 200 members open their group's page at once (role re-read, access check, roster,
   rotation, sessions listed): presses/s, ratio to the ceiling's presses/s.
3. the 25 facilitators run the six guided steps in their groups' Telegram chats at the same
   time: each press of "next step" until the next announcement shows in the chat.
4. an animator's counts page over the 25 groups (6 sessions held in each), 20 presses in a
   row: the ceiling's single-member latency ÷ this latency.

A bare python-telegram-bot Application was tried as the ceiling first and discarded: under
a burst of 200 presses it was slower than maillage (no pacing of its 400 concurrent
requests against a sandbox in the same process), so it bounded nothing.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.context import MaillageContext
from bot.domain.codev.model import STEPS, GroupDraft, GuideMode, MeetingMode, Rsvp
from bot.domain.members import Role
from bot.runtime import BotRuntime
from bot.sandbox import DEFAULT_TOKEN, RateLimits, Sandbox, SimGroup, SimUser
from bot.seed import Profile, seed_member
from bot.services import Services
from bot.update_processor import FloodLimit
from schedules.codev.steps import announce_step

GROUPS = 25
SIZE = 8
HELD = 6
SEQUENTIAL = 20
ANIMATOR = 1  # user ids
FACILITATORS = 10_000
MEMBERS = 20_000

# Simulated members act at machine speed: no per-chat flood limit in the benchmark.
MACHINE_SPEED = FloodLimit.off()


def _figures(latencies: Sequence[float], elapsed: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "presses": len(ordered),
        "presses_per_s": round(len(ordered) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
    }


async def _timed(press: Callable[[], Awaitable[Any]], reply: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await press()
    await reply()
    return time.perf_counter() - started


# -- maillage --------------------------------------------------------------------------------


async def _person(services: Services, sandbox: Sandbox, user_id: int, name: str) -> SimUser:
    user = sandbox.add_user(user_id, name, started=True)
    await seed_member(services, user_id, Profile(name, "France Services", "Drôme", "Agent"))
    return user


async def _seed(
    services: Services, sandbox: Sandbox
) -> tuple[list[SimUser], list[SimUser], list[SimGroup], SimUser]:
    """25 groups of 8 with their facilitator and chat, 6 sessions held in each."""
    codev = services.codev
    animator = await _person(services, sandbox, ANIMATOR, "Anne")
    await services.members.force_role(ANIMATOR, Role.ANIMATOR)
    facilitators, members, chats = [], [], []
    for number in range(GROUPS):
        lead = await _person(services, sandbox, FACILITATORS + number, f"Facilitation{number}")
        await services.members.force_role(lead.user_id, Role.FACILITATOR)
        peers = [
            await _person(services, sandbox, MEMBERS + number * SIZE + i, f"Pair{number}-{i}")
            for i in range(SIZE)
        ]
        draft = GroupDraft(
            f"Groupe {number:02d}",
            "Conduite du changement",
            SIZE,
            MeetingMode.VIDEO,
            "https://visio.example.org/codev",
            "Ce qui se dit ici reste ici.",
        )
        group = await codev.groups.create(lead.user_id, draft)
        code, _, _ = await codev.groups.new_invite(lead.user_id, group.id)
        for peer in peers:
            await codev.groups.use_code(peer.user_id, code)
            await codev.groups.accept_charter(peer.user_id, group.id)
        for client in peers[:HELD]:
            await _hold(services, lead.user_id, client.user_id, group.id)
        chat = sandbox.add_group(f"Codev {number:02d}", members=[lead, *peers])
        facilitators.append(lead)
        members += peers
        chats.append(chat)
    await sandbox.wait_idle()
    for lead, chat in zip(facilitators, chats, strict=True):
        [group] = [g for g, _ in await codev.groups.of_person(lead.user_id)]
        await codev.groups.bind_chat(lead.user_id, group.id, chat.chat_id)
    return facilitators, members, chats, animator


async def _hold(services: Services, lead: int, client: int, group_id: int) -> None:
    """One session through its whole life, straight through the services."""
    sessions = services.codev.sessions
    session = await sessions.request(client, group_id, "Un cas réel, en un paragraphe.")
    starts = services.clock.now() + timedelta(days=7)
    await sessions.schedule(lead, session.id, starts, "https://visio.example.org/codev")
    await sessions.rsvp(client, session.id, Rsvp.YES)
    await sessions.start_guide(lead, session.id, GuideMode.PRIVATE)
    for step in range(1, len(STEPS) + 1):
        await sessions.next_step(lead, session.id, step)


async def _help(members: list[SimUser]) -> dict[str, float]:
    """The ceiling: everyone presses the menu's cheapest button at once."""
    for member in members:
        await member.send("/menu")
    await asyncio.gather(*(m.expect("que voulez-vous faire", timeout=60) for m in members))
    started = time.perf_counter()
    latencies = await asyncio.gather(
        *(
            _timed(lambda m=m: m.tap("❓ Aide"), lambda m=m: m.expect("Ce que je sais", timeout=60))
            for m in members
        )
    )
    return _figures(latencies, time.perf_counter() - started)


async def _in_a_row(user: SimUser, opener: str, opened: str, label: str, reply: str) -> dict:
    """One person presses the same button 20 times in a row."""
    await user.send(opener)
    await user.expect(opened)
    started = time.perf_counter()
    latencies = [
        await _timed(lambda: user.tap(label), lambda: user.expect(reply)) for _ in range(SEQUENTIAL)
    ]
    return _figures(latencies, time.perf_counter() - started)


async def _pages(members: list[SimUser]) -> dict[str, float]:
    for member in members:
        await member.send("/codev")
    await asyncio.gather(*(m.expect("Codéveloppement", timeout=60) for m in members))
    started = time.perf_counter()
    latencies = await asyncio.gather(
        *(
            _timed(
                lambda m=m: m.tap("👥 Groupe"), lambda m=m: m.expect("Membres (8/8)", timeout=60)
            )
            for m in members
        )
    )
    return _figures(latencies, time.perf_counter() - started)


async def _guided(
    runtime: BotRuntime, facilitators: list[SimUser], chats: list[SimGroup]
) -> dict[str, float]:
    services = runtime.services
    assert services is not None and runtime.application is not None
    context = MaillageContext(runtime.application)
    for lead, chat in zip(facilitators, chats, strict=True):
        [group] = [g for g, _ in await services.codev.groups.of_person(lead.user_id)]
        peer = (await services.codev.groups.member_ids(group.id))[HELD]
        session = await services.codev.sessions.request(peer, group.id, "Le cas du jour.")
        starts = services.clock.now() + timedelta(hours=1)
        await services.codev.sessions.schedule(lead.user_id, session.id, starts, group.detail)
        session = await services.codev.sessions.start_guide(
            lead.user_id, session.id, GuideMode.CHAT
        )
        await announce_step(context, session, group)
        await chat.expect("étape 1/6", timeout=60)

    async def run(lead: SimUser, chat: SimGroup) -> list[float]:
        times = []
        for step in range(2, len(STEPS) + 1):
            times.append(
                await _timed(
                    lambda: lead.tap("Étape suivante", group=chat),
                    lambda s=step: chat.expect(f"étape {s}/6", timeout=60),
                )
            )
        return times

    started = time.perf_counter()
    pairs = zip(facilitators, chats, strict=True)
    runs = await asyncio.gather(*(run(lead, chat) for lead, chat in pairs))
    return _figures([t for times in runs for t in times], time.perf_counter() - started)


async def _maillage(sandbox: Sandbox, database: Path) -> dict[str, dict[str, float]]:
    settings = replace(
        Settings(),
        bot_token=DEFAULT_TOKEN,
        api_url=sandbox.api_url,
        db_path=database,
        send_rate=10_000,
        admins=frozenset({ANIMATOR}),
    )
    runtime = BotRuntime(settings, poll_timeout=1, flood=MACHINE_SPEED)
    await runtime.start()
    try:
        assert runtime.services is not None
        facilitators, members, chats, animator = await _seed(runtime.services, sandbox)
        help_row = ("/menu", "que voulez-vous faire", "❓ Aide", "Ce que je sais")
        counts_row = ("/codev", "Codéveloppement", "📊 Tous les groupes", "chiffres seulement")
        return {
            "help": await _help(members),
            "help_alone": await _in_a_row(animator, *help_row),
            "pages": await _pages(members),
            "guided": await _guided(runtime, facilitators, chats),
            "counts": await _in_a_row(animator, *counts_row),
            "help_after": await _help(members),
            "help_alone_after": await _in_a_row(animator, *help_row),
        }
    finally:
        await runtime.stop()


async def run() -> list[dict[str, Any]]:
    """The ceiling, the feature's rows, the ceiling again."""
    with tempfile.TemporaryDirectory() as folder:
        async with Sandbox(token=DEFAULT_TOKEN, rate_limits=RateLimits.off()) as sandbox:
            m = await _maillage(sandbox, Path(folder) / "codev.db")
    rate = (m["help"]["presses_per_s"] + m["help_after"]["presses_per_s"]) / 2
    single = (m["help_alone"]["p50_ms"] + m["help_alone_after"]["p50_ms"]) / 2
    people = GROUPS * SIZE
    return [
        {
            "scenario": f"ceiling (before): {people} members press the menu's Aide at once",
            **m["help"],
        },
        {"scenario": "ceiling (before): one member presses Aide 20 times", **m["help_alone"]},
        {
            "scenario": f"codev: {people} members open their group's page at once",
            **m["pages"],
            "ratio": round(m["pages"]["presses_per_s"] / rate, 2),
        },
        {
            "scenario": f"codev: {GROUPS} facilitators run the six steps in their chats at once",
            **m["guided"],
            "ratio": round(m["guided"]["presses_per_s"] / rate, 2),
        },
        {
            "scenario": f"codev: animator's counts over {GROUPS} groups, 20 presses in a row",
            **m["counts"],
            "ratio": round(single / m["counts"]["p50_ms"], 2),
        },
        {"scenario": f"ceiling (after): {people} members press Aide at once", **m["help_after"]},
        {"scenario": "ceiling (after): one member presses Aide 20 times", **m["help_alone_after"]},
    ]
