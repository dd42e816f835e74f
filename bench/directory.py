"""The directory at scale (``python -m bench directory``), in-process, no Telegram.

1. ``search``: CARDS cards imported into SQLite (FTS5 index), then SEARCHES typed searches
   (one to three words, accents and case mixed, some prefixes, some hostile syntax) through
   ``DirectoryService.search`` (count and first page): p50 / p99 / max per search.
2. ``territories``: the territory counts (browse by territory and the chart's data).
3. ``import``: an .xlsx of CARDS rows made with openpyxl, then read (read-only), checked
   (dry run) and confirmed (one transaction) on a fresh database: seconds per step.
4. ``export``: every card as CSV and as .xlsx.

``BENCH_DIRECTORY_CARDS`` overrides CARDS for a quick run.
"""

from __future__ import annotations

import io
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from bot.config import Settings
from bot.domain.directory.card import CARD_FIELDS
from bot.domain.directory.export import TELEGRAM_COLUMN, card_table, cards_csv, xlsx_bytes
from bot.services import Services

CARDS = int(os.environ.get("BENCH_DIRECTORY_CARDS", "10000"))
SEARCHES = 2_000
ANIMATOR = 1
TERRITORIES = [
    *("Drôme", "Ardèche", "Isère", "Savoie", "Haute-Savoie", "Ain", "Loire", "Rhône"),
    *("Puy-de-Dôme", "Allier", "Cantal", "Haute-Loire", "Côte-d'Or", "Doubs", "Jura"),
]
KINDS = ("France Services", "Mairie", "CCAS", "Maison de santé", "Médiathèque", "MSAP")
TOWNS = ("Die", "Crest", "Nyons", "Aubenas", "Privas", "Valence", "Montélimar", "Annonay")
SKILLS = (
    *("accompagnement numérique", "impôts", "CAF", "retraite", "état civil", "ANTS"),
    *("médiation", "emploi", "santé", "logement", "mobilité", "justice", "énergie"),
)
FIRST = ("Léa", "Paul", "Chloé", "Émile", "Zoé", "Noé", "Inès", "Hugo", "Anaïs", "Jérôme")
LAST = ("Martin", "Roche", "Faure", "Lefèvre", "Giraud", "Bonnet", "Dupré", "Mercier")
QUERIES = (
    *("numerique", "NUMÉRIQUE drome", "mair", "france serv isere", "léa", "emploi savoie"),
    *("caf", "ccas nyons", "médiathèque", "zoe martin", "retraite", "xyz", '" OR *', "a"),
    *("etat civil", "montelimar", "ants", "santé haute", "- NEAR(", "Dupré", "ma", "de"),
)


def _rows(count: int) -> list[list[str]]:
    """The header and ``count`` distinct structure rows, reproducible."""
    rng = random.Random(11)
    rows = [["Nom", "Structure", "Territoire", "Fonction", "Compétences", "Courriel"]]
    for number in range(count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        structure = f"{rng.choice(KINDS)} {rng.choice(TOWNS)} {number}"
        skills = ", ".join(rng.sample(SKILLS, 3))
        territory = rng.choice(TERRITORIES)
        rows.append([name, structure, territory, "Agent", skills, f"contact{number}@ex.org"])
    return rows


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Annuaire")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def _import(services: Services, data: bytes) -> tuple[float, float, int]:
    """Check then confirm; the seconds of each and the cards written."""
    started = time.perf_counter()
    token, plan = await services.directory.check_import(ANIMATOR, "annuaire.xlsx", data)
    checked = time.perf_counter()
    written = await services.directory.confirm_import(ANIMATOR, token)
    confirmed = time.perf_counter()
    assert written == CARDS == len(plan.cards), (written, len(plan.cards))
    return checked - started, confirmed - checked, written


async def _searches(services: Services) -> list[float]:
    """The milliseconds of SEARCHES searches (count and first page each)."""
    rng = random.Random(5)
    timings = []
    for _ in range(SEARCHES):
        typed = rng.choice(QUERIES)
        started = time.perf_counter()
        await services.directory.search(typed, rng.choice((0, 0, 0, 1)))
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


async def run() -> list[dict[str, Any]]:
    """The four scenarios on a fresh database in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(bot_token="bench:token", db_path=Path(folder) / "bench.db")
        services = await Services.open(settings)
        try:
            rows = _rows(CARDS)
            made = time.perf_counter()
            data = _xlsx(rows)
            made = time.perf_counter() - made
            check, confirm, written = await _import(services, data)
            timings = await _searches(services)
            started = time.perf_counter()
            territories = await services.directory.territories()
            territory_ms = (time.perf_counter() - started) * 1000
            cards = await services.directory.all_cards()
            titles = {name: name for name in (*CARD_FIELDS, TELEGRAM_COLUMN)}
            started = time.perf_counter()
            csv_size = len(cards_csv(cards, titles))
            csv_s = time.perf_counter() - started
            started = time.perf_counter()
            xlsx_size = len(xlsx_bytes(card_table(cards, titles), "Annuaire"))
            xlsx_s = time.perf_counter() - started
        finally:
            await services.close()
    return [
        {
            "scenario": f"search over {written} cards ({SEARCHES} searches)",
            "p50 ms": round(statistics.median(timings), 2),
            "p99 ms": round(_p99(timings), 2),
            "max ms": round(max(timings), 2),
        },
        {"scenario": f"territory counts ({len(territories)})", "p50 ms": round(territory_ms, 2)},
        {
            "scenario": f"import .xlsx of {CARDS} rows ({len(data) // 1024} KiB)",
            "check s": round(check, 2),
            "confirm s": round(confirm, 2),
            "total s": round(check + confirm, 2),
            "making the file s": round(made, 2),
        },
        {
            "scenario": f"export {len(cards)} cards",
            "csv s": round(csv_s, 2),
            "csv KiB": csv_size // 1024,
            "xlsx s": round(xlsx_s, 2),
            "xlsx KiB": xlsx_size // 1024,
        },
    ]
