"""Run every benchmark module (or those named), print one table, write JSON results."""

from __future__ import annotations

import asyncio
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def _modules(names: list[str]) -> list[str]:
    found = [
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if not m.name.startswith("_")
    ]
    return [n for n in found if not names or n in names]


def _table(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    cells = [[str(row.get(c, "")) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


async def main(names: list[str]) -> int:
    """Run the benchmarks and report them."""
    RESULTS.mkdir(exist_ok=True)
    all_rows: list[dict[str, Any]] = []
    for name in _modules(names):
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        rows = await module.run()
        for row in rows:
            row.setdefault("benchmark", name)
        all_rows += rows
        (RESULTS / f"{name}.json").write_text(
            json.dumps({"rows": rows, "seconds": round(time.perf_counter() - started, 1)}, indent=2)
        )
    print(_table(all_rows) if all_rows else "no benchmark rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
