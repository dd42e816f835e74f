"""The feature-first layout, checked on the source tree: one package per feature and layer.

A feature is a package of ``bot/domain/``; it owns a package of the same name in every
layer it touches, and nothing of it lives outside them. The layers depend one way:
handlers (``conversations``) and jobs (``schedules``) → domain → storage; the storage
reads and returns the domain's vocabulary only (modules that import nothing else of the
project), and no module imports another in a cycle. The code (not the tests, whose
end-to-end scenarios read as one story each) stays in small pieces: no module over
``MAX_MODULE_LINES`` lines, no function over ``MAX_FUNCTION_LINES``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.unit.import_graph import cycles, import_graph

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("bot/domain", "bot/storage", "conversations", "schedules", "tests/unit", "tests/e2e")
CODE = ("bot", "conversations", "schedules", "bench")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
APPEND_ONLY = {"bot/storage/migrations.py"}  # schema steps are appended, never edited


def features() -> list[str]:
    """The features: every package directly under ``bot/domain``."""
    return sorted(p.parent.name for p in (ROOT / "bot/domain").glob("*/__init__.py"))


def test_the_features_are_the_known_ones() -> None:
    known = {"codev", "diagnostic", "directory", "faq", "newsletter", "stats", "visio"}
    assert known <= set(features())


def _belongs_to(path: Path, feature: str) -> bool:
    name = path.stem.removeprefix("test_")
    return name == feature or name.startswith(f"{feature}_")


@pytest.mark.parametrize("layer", LAYERS)
def test_no_feature_file_outside_its_package(layer: str) -> None:
    strays = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / layer).glob("*.py"))
        for feature in features()
        if _belongs_to(path, feature)
    ]
    assert not strays, f"move these into their feature's package under {layer}/: {strays}"


@pytest.mark.parametrize("feature", features())
def test_each_feature_layer_is_a_package(feature: str) -> None:
    for layer in LAYERS:
        folder = ROOT / layer / feature
        if folder.exists():
            assert (folder / "__init__.py").exists(), (
                f"{folder.relative_to(ROOT)} needs __init__.py"
            )


def _layer(module: str) -> str:
    for prefix, name in (
        ("bot.domain", "domain"),
        ("bot.storage", "storage"),
        ("conversations", "handlers"),
        ("schedules", "jobs"),
    ):
        if module == prefix or module.startswith(prefix + "."):
            return name
    return "core"


def _vocabulary(graph: dict[str, set[str]]) -> set[str]:
    """Domain modules that import, of the project, only the core and other such modules."""
    leaves = {m for m in graph if _layer(m) == "domain"}
    while True:
        kept = {m for m in leaves if all(t in leaves or _layer(t) == "core" for t in graph[m])}
        if kept == leaves:
            return leaves
        leaves = kept


FORBIDDEN = {
    "domain": {"handlers", "jobs"},
    "storage": {"handlers", "jobs", "domain"},
    "jobs": {"handlers"},
}


def test_layers_depend_one_way() -> None:
    graph = import_graph(ROOT)
    vocabulary = _vocabulary(graph)
    wrong = sorted(
        f"{module} → {target}"
        for module, targets in graph.items()
        for target in targets
        if _layer(target) in FORBIDDEN.get(_layer(module), set())
        and not (_layer(module) == "storage" and target in vocabulary)
    )
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_import_cycle() -> None:
    found = cycles(import_graph(ROOT))
    assert not found, "import cycles:\n" + "\n".join(" → ".join(c) for c in found)


def _code_modules() -> list[Path]:
    return sorted(path for folder in CODE for path in (ROOT / folder).rglob("*.py"))


def test_no_module_is_too_long() -> None:
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in _code_modules()
        if str(path.relative_to(ROOT)) not in APPEND_ONLY
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, f"split these by responsibility (> {MAX_MODULE_LINES} lines): {long}"


def test_no_function_is_too_long() -> None:
    long = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines"
        for path in _code_modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := (node.end_lineno or node.lineno) - node.lineno + 1) > MAX_FUNCTION_LINES
    ]
    assert not long, f"split these functions (> {MAX_FUNCTION_LINES} lines): {long}"
