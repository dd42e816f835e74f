"""The animators' project portfolio at scale (``python -m bench projects``).

PROJECTS projects held by HOLDERS registered members, spread over the five steps and
finished, with CONTRIBUTORS contributor rows (members each in several projects), a fifth
of them stalled. The bot runs for real (``BotRuntime``) with the sandbox over HTTP:

1. ``page``: an animator taps 📊 Portefeuille PAGES times, one after the other; each tap is
   timed from the press to the edited page (p50, p99).
2. ``service``: the portfolio computed by the domain service alone (the SQL and the
   counting, no Telegram), the same number of times.
3. ``exports``: the CSV, the .xlsx workbook and the PNG funnel of the same portfolio.

``BENCH_PROJECTS`` overrides PROJECTS (contributors scale with it) for a quick run.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import FrozenClock
from bot.config import Settings
from bot.domain.members import Role
from bot.domain.projects.portfolio import funnel_png, portfolio_csv, portfolio_xlsx
from bot.runtime import BotRuntime
from bot.sandbox import DEFAULT_TOKEN, RateLimits, Sandbox
from bot.seed import Profile, seed_member
from bot.services import Services
from bot.update_processor import FloodLimit
from conversations.projects.portfolio import columns

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "500"))
CONTRIBUTORS = PROJECTS * 10
HOLDERS = 100
PER_MEMBER = 5
PAGES = 200
ANIMATOR = 900
FIRST_HOLDER = 10_000
FIRST_CONTRIBUTOR = 50_000
START = datetime(2030, 3, 5, 9, tzinfo=UTC)


def _quantiles(latencies: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return {"p50_ms": round(cuts[49] * 1000, 1), "p99_ms": round(cuts[98] * 1000, 1)}


async def _seed(services: Services, clock: FrozenClock) -> None:
    """Holders, projects at every step (a fifth stalled), and the contributor rows."""
    await seed_member(services, ANIMATOR, Profile("Anne", "Réseau", "Drôme", "Animatrice"))
    await services.members.force_role(ANIMATOR, Role.ANIMATOR)
    for i in range(HOLDERS):
        profile = Profile(f"Porteur {i}", "MFS", "Drôme", "Agent")
        await seed_member(services, FIRST_HOLDER + i, profile)
    projects = services.projects
    steps = len(projects.checklist.steps)
    ids = []
    for number in range(PROJECTS):
        if number == PROJECTS // 5:
            clock.advance(timedelta(weeks=8))  # the first fifth has had no news since
        holder = FIRST_HOLDER + number % HOLDERS
        project = await projects.start(holder, f"Projet {number}")
        for field in ("problem", "audience", "needs"):
            await projects.fill(holder, project.id, field, f"{field} du projet {number}")
        step = number % (steps + 1)
        status = "done" if step == steps else "active"
        await projects.store.update(project.id, clock.now(), step=step, status=status)
        ids.append(project.id)
    rows = [
        (ids[(member * PER_MEMBER + k) % len(ids)], FIRST_CONTRIBUTOR + member, START.isoformat())
        for member in range(CONTRIBUTORS // PER_MEMBER)
        for k in range(PER_MEMBER)
    ]
    async with services.db.transaction() as tx:
        await tx.executemany(
            "INSERT OR IGNORE INTO project_contributors (project_id, user_id, joined_at)"
            " VALUES (?, ?, ?)",
            rows,
        )


async def _pages(services: Services, sandbox: Sandbox) -> dict[str, Any]:
    anne = sandbox.add_user(ANIMATOR, "Anne", started=True)
    await anne.send("/projets")
    await anne.expect("Projets stratégiques")
    latencies = []
    for number in range(PAGES):
        started = time.perf_counter()
        await anne.tap("📊 Portefeuille" if number % 2 == 0 else "⬅️ Projets")
        await anne.expect(
            "Portefeuille des projets" if number % 2 == 0 else "Projets stratégiques", timeout=60
        )
        if number % 2 == 0:
            latencies.append(time.perf_counter() - started)
    portfolio = await services.projects.portfolio("fr")
    assert len(portfolio.lines) == PROJECTS and portfolio.contributors == CONTRIBUTORS
    return {"pages": len(latencies), **_quantiles(latencies)}


async def _service(services: Services) -> tuple[dict[str, Any], dict[str, Any]]:
    latencies = []
    for _ in range(PAGES // 2):
        started = time.perf_counter()
        portfolio = await services.projects.portfolio("fr")
        latencies.append(time.perf_counter() - started)
    t = services.translator("fr")
    timings = {}
    started = time.perf_counter()
    csv = portfolio_csv(portfolio, columns(t))
    timings["csv_ms"] = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    xlsx = portfolio_xlsx(portfolio, columns(t), "Portefeuille")
    timings["xlsx_ms"] = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    labels = [f"Étape {n}" for n in range(1, len(portfolio.by_step))] + ["Terminés"]
    png = funnel_png(labels, portfolio.reached(), "Entonnoir")
    timings["png_ms"] = (time.perf_counter() - started) * 1000
    sizes = {"csv_kb": len(csv) // 1024, "xlsx_kb": len(xlsx) // 1024, "png_kb": len(png) // 1024}
    stalled = len(portfolio.stalled)
    service = {"pages": len(latencies), **_quantiles(latencies), "stalled": stalled}
    return service, {**{k: round(v, 1) for k, v in timings.items()}, **sizes}


async def run() -> list[dict[str, Any]]:
    """The portfolio page through the sandbox, the service alone, and the exports."""
    with tempfile.TemporaryDirectory() as name:
        async with Sandbox(token=DEFAULT_TOKEN, rate_limits=RateLimits.off()) as sandbox:
            settings = replace(
                Settings(),
                bot_token=DEFAULT_TOKEN,
                api_url=sandbox.api_url,
                db_path=Path(name) / "bench.db",
            )
            clock = FrozenClock(START)
            runtime = BotRuntime(settings, clock=clock, poll_timeout=1, flood=FloodLimit.off())
            await runtime.start()
            try:
                services = runtime.services
                assert services is not None
                started = time.perf_counter()
                await _seed(services, clock)
                seeded = round(time.perf_counter() - started, 1)
                page = await _pages(services, sandbox)
                service, exports = await _service(services)
            finally:
                await runtime.stop()
    scale = {"projects": PROJECTS, "contributors": CONTRIBUTORS}
    return [
        {"scenario": "portfolio page through the sandbox", **scale, **page, "seed_s": seeded},
        {"scenario": "portfolio, domain service only", **scale, **service},
        {"scenario": "exports: CSV, xlsx, PNG funnel", **scale, **exports},
    ]


if __name__ == "__main__":
    for row in asyncio.run(run()):
        print(row)
