"""The feature-first layout, checked on the source tree: one package per feature and layer.

A feature is a package of ``bot/domain/``; it owns a package of the same name in every
layer it touches, and nothing of it lives outside them. The layers depend one way:
handlers (``conversations``) and jobs (``schedules``) → domain → storage; the storage
reads and returns the domain's vocabulary only (modules that import nothing else of the
project), and no module imports another in a cycle.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.import_graph import cycles, import_graph

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("bot/domain", "bot/storage", "conversations", "schedules", "tests/unit", "tests/e2e")


def features() -> list[str]:
    """The features: every package directly under ``bot/domain``."""
    return sorted(p.parent.name for p in (ROOT / "bot/domain").glob("*/__init__.py"))


def test_the_features_are_the_known_ones() -> None:
    assert {"codev", "diagnostic", "newsletter", "visio"} <= set(features())


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
