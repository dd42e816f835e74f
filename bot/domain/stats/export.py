"""The open-data export of the monthly figures: a spreadsheet (CSV) and JSON.

Both carry the masked figures only: a figure under k is « < k » in the CSV and
``{"value": null, "suppressed": true}`` in the JSON, never its number. The JSON follows
``schema.json`` beside this module (documented in docs/architecture.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from babel.numbers import format_decimal

from bot.clock import to_iso
from bot.domain.diagnostic.export import csv_bytes
from bot.domain.stats.model import NATURES, Cell, Metric, MonthFigures

SCHEMA_PATH = Path(__file__).with_name("schema.json")
SCHEMA_ID = "https://maillage.example/schemas/usage-stats-1.json"
FORMAT = "maillage.usage_stats"
VERSION = 1


@dataclass(frozen=True)
class ExportContext:
    """What the files say about themselves: network, language, labels, k, when."""

    network: str
    language: str
    timezone: str
    threshold: int
    generated_at: datetime
    labels: Mapping[Metric, str]
    headers: tuple[str, str, str, str]
    hidden: str


def _number(cell: Cell, language: str) -> str:
    if cell.value is None:
        return ""
    pattern = "#,##0" if float(cell.value).is_integer() else "#,##0.0#"
    return format_decimal(cell.value, pattern, locale=language)


def stats_csv(months: Sequence[MonthFigures], context: ExportContext) -> bytes:
    """One row per month and metric: month, label, code, value (« < k » when hidden)."""
    rows: list[list[str]] = [list(context.headers)]
    for figures in months:
        for metric, cell in figures.cells.items():
            value = context.hidden if cell.hidden else _number(cell, context.language)
            rows.append([figures.month.key, context.labels[metric], metric.value, value])
    return csv_bytes(rows)


def _json_cell(cell: Cell) -> dict[str, object]:
    return {"value": None if cell.hidden else cell.value, "suppressed": cell.hidden}


def stats_document(months: Sequence[MonthFigures], context: ExportContext) -> dict[str, object]:
    """The JSON document (as Python values) described by ``schema.json``."""
    return {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "version": VERSION,
        "network": context.network,
        "generated_at": to_iso(context.generated_at),
        "timezone": context.timezone,
        "language": context.language,
        "anonymity_threshold": context.threshold,
        "metrics": [
            {"id": m.value, "nature": NATURES[m].value, "label": context.labels[m]} for m in Metric
        ],
        "months": [
            {
                "month": figures.month.key,
                "figures": {m.value: _json_cell(c) for m, c in figures.cells.items()},
            }
            for figures in months
        ],
    }


def stats_json(months: Sequence[MonthFigures], context: ExportContext) -> bytes:
    """The JSON export as UTF-8 bytes, indented for people reading it too."""
    document = stats_document(months, context)
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def schema() -> dict[str, object]:
    """The JSON Schema shipped with the package."""
    loaded: dict[str, object] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded
