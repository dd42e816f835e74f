"""Newsletters end to end against a sandbox in another process (``python -m bench newsletter``).

1. ``letter``: a newsletter written with the shipped template (animator's text, newcomers,
   both languages, opt-out button) composed, written as a send to 5,000 registered members
   (20 % English-speaking) and delivered, the sandbox enforcing Telegram's limits scaled
   to a 300/s ceiling and the engine set to it: compose and create times, achieved rate ÷
   ceiling and ÷ the rate of the plain engine sending a one-part message to the same chats
   just before (the machine's own ceiling in this run), largest 1-second window seen by the
   sandbox, 429s, lost, duplicated.
2. ``quiet hours``: creating a send to 10,000 members of whom 30 % are in their quiet
   hours (22:00 in Paris), against the same send marked urgent (no quiet-hour pass, the
   ceiling): creation time ratio, rows held back.
3. ``long letter``: composing a 20,000-character letter (both languages, split into
   parts) against rendering the same template with a bare Jinja2 environment (no sandbox,
   no strictness, no HTML check, no splitting): time ratio, parts.

Members are seeded with SQL straight into the database (the benchmark measures sending,
not registering); every figure about what was received comes from the sandbox's record.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader

from bench.delivery import (
    CEILING,
    CONTENT,
    TOKEN,
    Remote,
    largest_window,
    losses,
    received_since,
    sandbox_process,
    settings_for,
)
from bot.clock import FrozenClock, to_iso
from bot.config import Settings
from bot.delivery import DeliveryState, Draft, Recipient
from bot.domain.newsletter.model import BroadcastKind, LetterFacts
from bot.domain.newsletter.service import letter_context
from bot.domain.newsletter.template import BUILTIN_DIR
from bot.domain.privacy import PRIVACY_NOTICE_VERSION
from bot.sandbox import RateLimits
from bot.services import Services
from schedules.newsletter.messages import broadcast_content

LETTER_MEMBERS = 5_000
QUIET_MEMBERS = 10_000
QUIET_SHARE = 0.3
ANIMATOR = 1
PARIS = ZoneInfo("Europe/Paris")
NOON = datetime(2030, 3, 5, 12, 0, tzinfo=PARIS).astimezone(UTC)
NIGHT = datetime(2030, 3, 5, 22, 0, tzinfo=PARIS).astimezone(UTC)
PARAGRAPH = (
    "Le réseau avance : {{ network }} accueille de nouvelles structures, et la visio du mois "
    "portera sur l’accueil des publics éloignés du numérique. "
)


async def seed(services: Services, count: int, quiet_share: float = 0.0) -> list[int]:
    """``count`` registered members (every fifth English-speaking), some with quiet hours."""
    at = to_iso(services.clock.now())
    ids = list(range(ANIMATOR, count + 1))
    async with services.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO members (user_id, language, role, display_name, organisation, territory,"
            " function, consent_version, consented_at, registered_at, created_at, updated_at)"
            " VALUES (?, ?, 'member', ?, 'France Services', 'Drôme', 'Agent', ?, ?, ?, ?, ?)",
            [
                (i, "en" if i % 5 == 0 else "fr", f"Membre {i}", PRIVACY_NOTICE_VERSION) + (at,) * 4
                for i in ids
            ],
        )
        await tx.executemany(
            "INSERT INTO delivery_quiet_hours (user_id, starts_minute, ends_minute, updated_at)"
            " VALUES (?, 1200, 480, ?)",
            [(i, at) for i in ids[: int(count * quiet_share)]],
        )
    return ids


async def deliver(
    remote: Remote, services: Services, draft: Draft, members: list[int], chats: list[Recipient]
) -> tuple[dict[str, Any], float]:
    """Create and run one send; what the sandbox saw of it, and the seconds it took."""
    created = time.perf_counter()
    send_id, _ = await services.deliveries.create_send(draft, members, chats)
    create_ms = round((time.perf_counter() - created) * 1000)
    before = (await remote.client.stats())["requests"]
    too_many = (await remote.client.stats())["too_many_requests"]
    started = time.perf_counter()
    report = await services.deliveries.run(send_id)
    seconds = time.perf_counter() - started
    assert report is not None
    received = await received_since(remote, before)
    expected = members or [chat.chat_id for chat in chats]
    lost, duplicated = losses(expected, received)
    return {
        "create_ms": create_ms,
        "sent": report.counts[DeliveryState.SENT],
        "seconds": round(seconds, 2),
        "largest_1s_window": largest_window([r["time"] for r in received]),
        "429s": (await remote.client.stats())["too_many_requests"] - too_many,
        "lost": lost,
        "duplicated": duplicated,
    }, seconds


async def letter(remote: Remote, folder: Path) -> dict[str, Any]:
    """Scenario 1: a real newsletter to 5,000 members at the 300/s ceiling, after the plain
    engine sent a one-part message to the same 5,000 chats (the ceiling of this run)."""
    await remote.client.set_rate_limits(RateLimits.telegram(scale=CEILING / 30))
    settings = settings_for(remote, folder / "letter.db", CEILING)
    services = await Services.open(settings, FrozenClock(NOON))
    try:
        ids = await seed(services, LETTER_MEMBERS)
        await services.deliveries.open()
        plain, plain_seconds = await deliver(
            remote,
            services,
            Draft("bench", "bench", CONTENT),
            [],
            [Recipient(chat_id, "fr") for chat_id in ids],
        )
        letters = services.newsletters
        for number in range(3):
            await letters.add_text(ANIMATOR, BroadcastKind.NEWSLETTER, PARAGRAPH * (number + 2))
        started = time.perf_counter()
        prepared = await letters.prepare(ANIMATOR, BroadcastKind.NEWSLETTER)
        content = broadcast_content(
            prepared.composition, BroadcastKind.NEWSLETTER, services.translator
        )
        compose_ms = round((time.perf_counter() - started) * 1000)
        draft = Draft("newsletter", "newsletter", content, ANIMATOR)
        row, seconds = await deliver(remote, services, draft, list(prepared.member_ids), [])
    finally:
        await services.close()
    rate, plain_rate = row["sent"] / seconds, plain["sent"] / plain_seconds
    return {
        "scenario": "letter",
        "recipients": len(ids),
        "compose_ms": compose_ms,
        **row,
        "rate_per_s": round(rate),
        "ceiling": CEILING,
        "rate_vs_ceiling": round(rate / CEILING, 3),
        "plain_engine_per_s": round(plain_rate),
        "rate_vs_plain_engine": round(rate / plain_rate, 3),
    }


async def quiet_hours(folder: Path) -> dict[str, Any]:
    """Scenario 2: creating a send with 30 % of members in their quiet hours, vs urgent."""
    settings = Settings(bot_token=TOKEN, db_path=folder / "quiet.db")
    services = await Services.open(settings, FrozenClock(NIGHT))
    try:
        ids = await seed(services, QUIET_MEMBERS, QUIET_SHARE)
        content = broadcast_content(
            services.newsletters.compose(
                (await services.newsletters.add_text(ANIMATOR, BroadcastKind.REMINDER, "Rappel")),
                LetterFacts(),
            ),
            BroadcastKind.REMINDER,
            services.translator,
        )
        timings: dict[bool, float] = {True: float("inf"), False: float("inf")}
        held = {}
        for urgent in (True, False, True, False):  # best of two each, interleaved
            started = time.perf_counter()
            _, audience = await services.deliveries.create_send(
                Draft("reminder", "reminder", content, ANIMATOR, urgent=urgent), ids
            )
            timings[urgent] = min(timings[urgent], time.perf_counter() - started)
            held[urgent] = audience.deferred
    finally:
        await services.close()
    return {
        "scenario": "quiet hours",
        "recipients": QUIET_MEMBERS,
        "held_until_8h": held[False],
        "held_if_urgent": held[True],
        "create_ms": round(timings[False] * 1000),
        "ceiling_ms (urgent)": round(timings[True] * 1000),
        "time_vs_ceiling": round(timings[False] / timings[True], 2),
    }


async def long_letter(folder: Path) -> dict[str, Any]:
    """Scenario 3: composing a 20,000-character letter vs a bare Jinja2 render of it."""
    settings = Settings(bot_token=TOKEN, db_path=folder / "long.db")
    services = await Services.open(settings, FrozenClock(NOON))
    try:
        await seed(services, 50)
        letters = services.newsletters
        for _ in range(5):
            await letters.add_text(ANIMATOR, BroadcastKind.NEWSLETTER, PARAGRAPH * 26)
        draft = await letters.draft(ANIMATOR, BroadcastKind.NEWSLETTER)
        facts = LetterFacts(new_members_total=0)
        rounds = 20
        started = time.perf_counter()
        for _ in range(rounds):
            composition = letters.compose(draft, facts)
        ours = (time.perf_counter() - started) / rounds
        bare = Environment(loader=FileSystemLoader(BUILTIN_DIR), autoescape=True)
        typed = bare.from_string(draft.body)  # compiled once, as maillage caches it
        started = time.perf_counter()
        for _ in range(rounds):
            for language in ("fr", "en"):
                context = letter_context(services.translator(language), "Réseau", facts)
                text = typed.render(context)
                bare.get_template(f"newsletter.{language}.html.j2").render(
                    {**context, "text": text}
                )
        ceiling = (time.perf_counter() - started) / rounds
    finally:
        await services.close()
    return {
        "scenario": "long letter",
        "characters": len(draft.body),
        "parts_fr": len(composition.parts("fr")),
        "compose_ms": round(ours * 1000, 2),
        "ceiling_ms (bare jinja2)": round(ceiling * 1000, 2),
        "time_vs_ceiling": round(ours / ceiling, 2),
    }


async def run() -> list[dict[str, Any]]:
    """The three scenarios."""
    with tempfile.TemporaryDirectory() as folder:
        rows = [await quiet_hours(Path(folder)), await long_letter(Path(folder))]
        async with sandbox_process(LETTER_MEMBERS) as remote:
            rows.insert(0, await letter(remote, Path(folder)))
    return rows
