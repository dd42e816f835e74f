"""The open-data files: CSV (BOM, ``;``) and JSON valid against the shipped schema; no
figure under k in any of them, nor in the chart."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from typing import Any

from bot.domain.stats.chart import ChartText, year_chart
from bot.domain.stats.export import (
    SCHEMA_PATH,
    ExportContext,
    schema,
    stats_csv,
    stats_document,
    stats_json,
)
from bot.domain.stats.figures import mask
from bot.domain.stats.model import Metric, Month, MonthFigures

K = 5
COUNTS = {
    Metric.MEMBERS_REGISTERED.value: 120,
    Metric.MEMBERS_ACTIVE.value: 3,
    Metric.DIAGNOSTIC_INVITED.value: 40,
    Metric.DIAGNOSTIC_RESPONSES.value: 12,
    Metric.VISIO_RATINGS.value: 2,
    "visio_rating_total": 9,
}


def context() -> ExportContext:
    return ExportContext(
        network="Réseau test",
        language="fr",
        timezone="Europe/Paris",
        threshold=K,
        generated_at=datetime(2030, 4, 2, 10, 0, tzinfo=UTC),
        labels={m: f"Libellé {m.value}" for m in Metric},
        headers=("Mois", "Indicateur", "Code", "Valeur"),
        hidden=f"< {K}",
    )


def months() -> list[MonthFigures]:
    return [mask(Month(2030, 2), {}, K), mask(Month(2030, 3), COUNTS, K)]


def _check(value: Any, rule: dict[str, Any], root: dict[str, Any], where: str) -> None:
    """A structural check of the JSON Schema keywords the shipped schema uses."""
    if "$ref" in rule:
        rule = root["$defs"][rule["$ref"].rsplit("/", 1)[1]]
    kinds = rule.get("type")
    if kinds is not None:
        allowed = {
            "object": dict,
            "array": list,
            "string": str,
            "boolean": bool,
            "null": type(None),
        }
        names = kinds if isinstance(kinds, list) else [kinds]
        ok = any(
            isinstance(value, (int, float)) and not isinstance(value, bool)
            if n in ("number", "integer")
            else isinstance(value, allowed[n])
            for n in names
        )
        assert ok and not (kinds == "integer" and not isinstance(value, int)), where
    assert "const" not in rule or value == rule["const"], where
    assert "enum" not in rule or value in rule["enum"], where
    if "pattern" in rule:
        assert re.search(rule["pattern"], value), where
    if isinstance(value, (int, float)) and "minimum" in rule:
        assert value >= rule["minimum"], where
    if isinstance(value, dict):
        assert set(rule.get("required", ())) <= set(value), where
        properties = rule.get("properties", {})
        if rule.get("additionalProperties") is False:
            assert set(value) <= set(properties), f"{where}: {set(value) - set(properties)}"
        for key, item in value.items():
            if key in properties:
                _check(item, properties[key], root, f"{where}.{key}")
        if "if" in rule and all(
            value.get(k) == r.get("const") for k, r in rule["if"]["properties"].items()
        ):
            _check(value, rule["then"], root, where)
    if isinstance(value, list) and "items" in rule:
        for index, item in enumerate(value):
            _check(item, rule["items"], root, f"{where}[{index}]")


def test_the_json_export_follows_the_shipped_schema() -> None:
    shipped = schema()
    assert SCHEMA_PATH.name == "schema.json" and shipped["$id"]
    document = json.loads(stats_json(months(), context()))
    _check(document, shipped, shipped, "$")
    assert [m["id"] for m in document["metrics"]] == [m.value for m in Metric]


def test_the_checker_catches_a_figure_that_leaks_under_k() -> None:
    shipped = schema()
    document = stats_document(months(), context())
    leaked = json.loads(json.dumps(document))
    leaked["months"][1]["figures"]["members_active"] = {"value": 3, "suppressed": True}
    try:
        _check(leaked, shipped, shipped, "$")
    except AssertionError:
        return
    raise AssertionError("a suppressed figure with a value passed the schema")


def test_no_figure_under_k_in_the_json() -> None:
    document = stats_document(months(), context())
    march = document["months"][1]["figures"]  # type: ignore[index]
    assert march["members_active"] == {"value": None, "suppressed": True}
    assert march["visio_satisfaction"] == {"value": None, "suppressed": True}
    assert march["members_registered"] == {"value": 120, "suppressed": False}
    assert march["diagnostic_rate"] == {"value": 30.0, "suppressed": False}
    people = [m.value for m in Metric if m.value not in ("diagnostic_rate", "visio_satisfaction")]
    for month in document["months"]:  # type: ignore[union-attr]
        for metric in people:
            value = month["figures"][metric]["value"]
            assert value is None or value == 0 or value >= K


def test_the_csv_has_a_bom_semicolons_and_hides_small_figures() -> None:
    data = stats_csv(months(), context())
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Mois", "Indicateur", "Code", "Valeur"]
    assert len(rows) == 1 + 2 * len(Metric)
    by_code = {(r[0], r[2]): r[3] for r in rows[1:]}
    assert by_code[("2030-03", "members_active")] == "< 5"
    assert by_code[("2030-03", "members_registered")] == "120"
    assert by_code[("2030-03", "diagnostic_rate")] == "30"
    assert by_code[("2030-02", "diagnostic_rate")] == ""  # nobody invited: not applicable
    assert "3" not in {v for (month, _), v in by_code.items() if month == "2030-03"}


def test_the_chart_is_a_png_that_never_draws_a_hidden_figure() -> None:
    year = months()
    text = ChartText(
        "Titre",
        "Membres",
        "Participation",
        ("02/30", "03/30"),
        {m: m.value for m in Metric},
        "< 5",
        "note",
    )
    png = year_chart(year, text)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    from bot.domain.stats import chart

    assert chart._values(year, Metric.MEMBERS_ACTIVE) == [0, None]
    assert chart._hidden(year, Metric.MEMBERS_ACTIVE) == [False, True]


def test_the_schema_file_is_plain_json() -> None:
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["type"] == "object"
