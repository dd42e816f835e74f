"""Usage statistics over a year of a 10,000-member network (``python -m bench stats``).

The year is written straight into SQLite (executemany, one transaction per table): 10,000
members registered over the year, two diagnostic campaigns sent to everyone (6,000
answers each), twelve monthly video sessions (1,500 voters on 3 topics, 500 RSVPs, a
300-person satisfaction questionnaire each), 25 co-development groups holding a session a
month (8 attend), twelve newsletters to everyone (the first six purged to their kept
totals, the last six with their 10,000 delivery rows), 500 opt-outs. Then timed, each
REPEAT times (median and worst): the 12 months' figures (``StatsService.year``), one
month's, the chart, and both exports. Target: the year under 1 s.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import FrozenClock, to_iso
from bot.config import Settings
from bot.domain.stats.chart import BOTTOM, TOP, ChartText, year_chart
from bot.domain.stats.export import ExportContext, stats_csv, stats_json
from bot.domain.stats.model import Metric, Month, MonthFigures
from bot.services import Services

MEMBERS = 10_000
REPEAT = 5
NOW = datetime(2031, 1, 2, 9, 0, tzinfo=UTC)
YEAR = Month(2030, 12).last(12)
Rows = list[tuple[Any, ...]]


def _at(month: Month, day: int, rng: random.Random) -> str:
    moment = datetime(month.year, month.month, day, 8, tzinfo=UTC)
    return to_iso(moment + timedelta(minutes=rng.randrange(600)))


async def _insert(services: Services, sql: str, rows: Rows) -> None:
    async with services.db.transaction() as tx:
        await tx.executemany(sql, rows)


async def _members(services: Services, rng: random.Random) -> None:
    rows = []
    for user_id in range(1, MEMBERS + 1):
        when = _at(YEAR[user_id * 12 // (MEMBERS + 1)], rng.randrange(1, 28), rng)
        rows.append((user_id, when, when, when, when))
    await _insert(
        services,
        "INSERT INTO members (user_id, language, consent_version, consented_at, registered_at,"
        " created_at, updated_at) VALUES (?, 'fr', 'v1', ?, ?, ?, ?)",
        rows,
    )
    opted = [(u, _at(rng.choice(YEAR), 5, rng)) for u in rng.sample(range(1, MEMBERS), 500)]
    await _insert(
        services,
        "INSERT INTO delivery_preferences (user_id, category, opted_out, updated_at)"
        " VALUES (?, 'newsletter', 1, ?)",
        opted,
    )


async def _campaign(
    services: Services, campaign: int, month: Month, audience: range, answered: int
) -> None:
    rng = random.Random(campaign)
    opens = _at(month, 2, rng)
    await _insert(
        services,
        "INSERT INTO diagnostic_campaigns (id, questionnaire_id, definition, anonymous, opens_at,"
        " closes_at, reminder_plan, status, created_at) VALUES (?, 'q', '{}', 1, ?, ?, '[]',"
        " 'closed', ?)",
        [(campaign, opens, opens, opens)],
    )
    await _insert(
        services,
        "INSERT INTO diagnostic_audience (campaign_id, user_id) VALUES (?, ?)",
        [(campaign, u) for u in audience],
    )
    responders = rng.sample(list(audience), answered)
    await _insert(
        services,
        "INSERT INTO diagnostic_responses (id, campaign_id, user_id, pseudonym, started_at,"
        " updated_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (campaign * 100_000 + u, campaign, u, f"{campaign}-{u}", opens, opens, opens)
            for u in responders
        ],
    )
    await _insert(
        services,
        "INSERT INTO diagnostic_answers (response_id, question_id, choice, updated_at)"
        " VALUES (?, 'overall', ?, ?)",
        [(campaign * 100_000 + u, f'["{rng.randint(1, 5)}"]', opens) for u in responders],
    )


async def _visio(services: Services, rng: random.Random) -> None:
    now = to_iso(NOW)
    topics = [(t, f"Sujet {t}", f"sujet {t}", now, now) for t in range(1, 37)]
    await _insert(
        services,
        "INSERT INTO visio_topics (id, title, norm, status, created_at, updated_at)"
        " VALUES (?, ?, ?, 'open', ?, ?)",
        topics,
    )
    for index, month in enumerate(YEAR, start=1):
        starts = _at(month, 12, rng)
        await _insert(
            services,
            "INSERT INTO visio_sessions (id, kind, status, starts_at, ends_at, vote_closes_at,"
            " feedback_campaign, created_at, updated_at)"
            " VALUES (?, 'monthly', 'scheduled', ?, ?, ?, ?, ?, ?)",
            [(index, starts, starts, _at(month, 5, rng), 100 + index, starts, starts)],
        )
        await _campaign(services, 100 + index, month, range(index * 300, index * 300 + 300), 200)
        voters = rng.sample(range(1, MEMBERS), 1500)
        votes = [(index, u, 3 * index - rng.randrange(3), starts) for u in voters]
        await _insert(
            services,
            "INSERT OR IGNORE INTO visio_votes (session_id, user_id, topic_id, source, at)"
            " VALUES (?, ?, ?, 'private', ?)",
            votes,
        )
        rsvps = [(index, u, "yes" if u % 3 else "no", u % 2, starts) for u in voters[:500]]
        await _insert(
            services,
            "INSERT INTO visio_rsvps (session_id, user_id, answer, attended, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            rsvps,
        )


async def _codev(services: Services, rng: random.Random) -> None:
    await _insert(
        services,
        "INSERT INTO codev_groups (id, name, theme, size_limit, meeting_mode, meeting_detail,"
        " charter, step_minutes, followup_weeks, created_at)"
        " VALUES (?, 'G', 'T', 8, 'video', 'x', 'c', '[]', 4, ?)",
        [(g, to_iso(NOW)) for g in range(1, 26)],
    )
    sessions, attendance = [], []
    for m, month in enumerate(YEAR):
        for group in range(1, 26):
            session = m * 100 + group
            held = _at(month, 20, rng)
            client = group * 8
            sessions.append((session, group, client, held, held))
            attendance += [(session, group * 8 + i) for i in range(8)]
    await _insert(
        services,
        "INSERT INTO codev_sessions (id, group_id, client_id, case_text, status, requested_at,"
        " step_minutes, held_at) VALUES (?, ?, ?, 'cas', 'held', ?, '[]', ?)",
        sessions,
    )
    await _insert(
        services, "INSERT INTO codev_attendance (session_id, user_id) VALUES (?, ?)", attendance
    )


async def _newsletters(services: Services, rng: random.Random) -> None:
    for send, month in enumerate(YEAR, start=1):
        finished = _at(month, 15, rng)
        purged = send <= len(YEAR) // 2
        totals = f'{{"sent": {MEMBERS - 120}, "blocked": 120}}' if purged else None
        await _insert(
            services,
            "INSERT INTO sends (id, kind, category, created_at, due_at, status, finished_at,"
            " parts, delivery_totals) VALUES (?, 'newsletter', 'newsletter', ?, ?, 'done', ?,"
            " '{}', ?)",
            [(send, finished, finished, finished, totals)],
        )
        if not purged:
            rows = [
                (send, u, u, "sent" if u % 80 else "blocked", finished)
                for u in range(1, MEMBERS + 1)
            ]
            await _insert(
                services,
                "INSERT INTO deliveries (send_id, chat_id, user_id, language, state, updated_at)"
                " VALUES (?, ?, ?, 'fr', ?, ?)",
                rows,
            )


async def _timed(action: Callable[[], Awaitable[Any]]) -> dict[str, float]:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        await action()
        times.append(time.perf_counter() - started)
    return {
        "median_ms": round(statistics.median(times) * 1000, 1),
        "worst_ms": round(max(times) * 1000, 1),
    }


def _check(year: list[MonthFigures]) -> None:
    """The seeded year reads back: every feature counted, purged sends from their totals."""
    first, last = year[0].cells, year[-1].cells
    assert last[Metric.MEMBERS_REGISTERED].value == MEMBERS
    assert (last[Metric.VISIO_SESSIONS].value, last[Metric.CODEV_SESSIONS].value) == (1, 25)
    assert last[Metric.VISIO_RATINGS].value == 200 and last[Metric.VISIO_SATISFACTION].value
    assert first[Metric.NEWSLETTER_DELIVERED].value == MEMBERS - 120  # kept totals
    assert last[Metric.NEWSLETTER_DELIVERED].value == MEMBERS - MEMBERS // 80  # live rows
    assert year[2].cells[Metric.DIAGNOSTIC_RESPONSES].value == 6000


async def run() -> list[dict[str, Any]]:
    """Seed the year, then time the figures, the chart and the exports."""
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db_path=Path(folder) / "bench.db")
        services = await Services.open(settings, FrozenClock(NOW))
        try:
            started = time.perf_counter()
            await _members(services, rng)
            await _campaign(services, 1, YEAR[2], range(1, MEMBERS + 1), 6000)
            await _campaign(services, 2, YEAR[9], range(1, MEMBERS + 1), 6000)
            await _visio(services, rng)
            await _codev(services, rng)
            await _newsletters(services, rng)
            seeded = round(time.perf_counter() - started, 1)
            stats = services.stats
            year = await stats.year(YEAR[-1])
            _check(year)
            text = ChartText(
                "t",
                "m",
                "p",
                tuple(m.key for m in YEAR),
                {m: m.value for m in (*TOP, *BOTTOM)},
                "< 5",
                "n",
            )
            context = ExportContext(
                "n",
                "fr",
                "Europe/Paris",
                5,
                NOW,
                {m: m.value for m in Metric},
                ("a", "b", "c", "d"),
                "< 5",
            )
            rows = [
                {
                    "scenario": "figures of the 12 months",
                    **await _timed(lambda: stats.year(YEAR[-1])),
                },
                {"scenario": "figures of one month", **await _timed(lambda: stats.month(YEAR[5]))},
            ]

            async def files() -> None:
                year_chart(year, text)
                stats_csv(year, context)
                stats_json(year, context)

            rows.append({"scenario": "chart + CSV + JSON of the 12 months", **await _timed(files)})
        finally:
            await services.close()
    for row in rows:
        row.update({"members": MEMBERS, "seeded_s": seeded})
    return rows
