"""FAQ search over 1,000 entries (``python -m bench faq``).

1. ``ceiling``: the same FTS5 query, prepared by hand, on the same database through the
   same aiosqlite connection (no input neutralising, no entry objects).
2. ``maillage``: ``FaqService.search`` on what members type (one to three words, accents
   and capitals mixed, some hostile characters): p50/p99 and the ratio to the ceiling.
3. ``writes``: adding the 1,000 entries (each with its index row) through the service.

``BENCH_FAQ_QUERIES`` overrides QUERIES for a quick run.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.domain.faq import Version
from bot.domain.faq.text import match_expression
from bot.services import Services

ENTRIES = 1_000
THEMES = 12
QUERIES = int(os.environ.get("BENCH_FAQ_QUERIES", "2000"))
WORDS = [
    "accueil",
    "démarches",
    "numérique",
    "visio",
    "vote",
    "réseau",
    "maison",
    "services",
    "usagers",
    "caf",
    "retraite",
    "impôts",
    "santé",
    "emploi",
    "formation",
    "outil",
    "wiki",
    "annuaire",
    "codéveloppement",
    "groupe",
    "séance",
    "facilitation",
    "diagnostic",
    "questionnaire",
    "lettre",
    "rappel",
    "préférences",
    "animation",
    "territoire",
    "mobilité",
    "logement",
    "énergie",
    "précarité",
    "médiation",
    "partenaires",
    "convention",
    "agenda",
]
TYPED = ("ACCUEIL", "demarches", "Réseau", "codeveloppement", "visio OR", '"wiki', "caf*", "É")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _query(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        words[0] = rng.choice(TYPED)
    return " ".join(words)


def _quantiles(latencies: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return {"p50_ms": round(cuts[49] * 1000, 3), "p99_ms": round(cuts[98] * 1000, 3)}


async def _seed(services: Services, rng: random.Random) -> float:
    started = time.perf_counter()
    themes = [(await services.faq.add_theme(f"Thème {n} | Theme {n}")).id for n in range(THEMES)]
    for number in range(ENTRIES):
        french = Version(f"{_text(rng, 6)} ?", f"<b>{_text(rng, 10)}</b> {_text(rng, 40)}")
        english = Version(f"{_text(rng, 6)}?", _text(rng, 50)) if number % 2 else None
        await services.faq.add_entry(themes[number % THEMES], french, english)
    return time.perf_counter() - started


async def _raw(services: Services, query: str) -> int:
    """The ceiling: the FTS5 query made by hand, rows not turned into entries."""
    expression = " ".join(f'"{w}"*' for w in query.replace('"', " ").replace("*", " ").split())
    rows = await services.db.fetchall(
        "SELECT e.* FROM faq_search JOIN faq_entries AS e ON e.id = faq_search.rowid"
        " WHERE faq_search MATCH ? ORDER BY bm25(faq_search, 4.0, 1.0), e.id LIMIT 10",
        (expression,),
    )
    return len(rows)


async def _searched(services: Services, query: str) -> int:
    return len(await services.faq.search(query))


async def _measure(services: Services, queries: list[str]) -> dict[str, tuple[list[float], int]]:
    """Each query through both paths, alternating which goes first (same cache for both)."""
    paths = {"ceiling": _raw, "maillage": _searched}
    latencies: dict[str, list[float]] = {name: [] for name in paths}
    found = dict.fromkeys(paths, 0)
    for number, query in enumerate(queries):
        order = list(paths) if number % 2 else list(reversed(paths))
        for name in order:
            started = time.perf_counter()
            found[name] += await paths[name](services, query)
            latencies[name].append(time.perf_counter() - started)
    return {name: (latencies[name], found[name]) for name in paths}


async def run() -> list[dict[str, Any]]:
    """Search p50/p99 over 1,000 entries against a hand-made FTS5 query ceiling."""
    rng = random.Random(2026)
    queries = [_query(rng) for _ in range(QUERIES)]
    assert all(match_expression(q) for q in queries)
    with tempfile.TemporaryDirectory() as name:
        services = await Services.open(replace(Settings(), db_path=Path(name) / "faq.db"))
        try:
            seconds = await _seed(services, rng)
            await _measure(services, queries[:100])  # warm the page cache
            measured = await _measure(services, queries)
        finally:
            await services.close()
    (ceiling, ceiling_found), (maillage, found) = measured["ceiling"], measured["maillage"]
    base = _quantiles(ceiling)
    ours = _quantiles(maillage)
    return [
        {
            "scenario": "ceiling: hand-made FTS5 query, same db",
            "entries": ENTRIES,
            "queries": QUERIES,
            **base,
            "results": ceiling_found,
        },
        {
            "scenario": "maillage: FaqService.search",
            "entries": ENTRIES,
            "queries": QUERIES,
            **ours,
            "results": found,
            "ratio_p99": round(ours["p99_ms"] / base["p99_ms"], 2),
        },
        {
            "scenario": "writes: 1,000 entries with their index rows",
            "entries": ENTRIES,
            "seconds": round(seconds, 2),
            "per_entry_ms": round(seconds / ENTRIES * 1000, 2),
        },
    ]
