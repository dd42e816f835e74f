"""The architecture's rules, checked on the source tree so that a slip fails fast."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SQL = re.compile(r"^\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE TABLE)\b", re.IGNORECASE)


def _sources(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", _sources("bot/domain"), ids=str)
def test_domain_never_imports_telegram(path: Path) -> None:
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        assert not any(n == "telegram" or n.startswith("telegram.") for n in names), (
            f"{path.relative_to(ROOT)}:{node.lineno}: the domain must not import telegram"
        )


@pytest.mark.parametrize("path", _sources("bot", "conversations", "schedules"), ids=str)
def test_no_naive_now(path: Path) -> None:
    if path.name == "clock.py" or "sandbox" in path.parts:
        return
    for node in ast.walk(_tree(path)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"now", "utcnow"}
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "datetime"
        ):
            assert node.func.attr == "now" and node.args, (
                f"{path.relative_to(ROOT)}:{node.lineno}: use services.clock.now() (aware UTC)"
            )


@pytest.mark.parametrize("path", _sources("conversations"), ids=str)
def test_button_presses_are_answered_through_acknowledge(path: Path) -> None:
    if path.name == "common.py":
        return
    for node in ast.walk(_tree(path)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "answer"
        ):
            raise AssertionError(
                f"{path.relative_to(ROOT)}:{node.lineno}: answer button presses with "
                "conversations.common.acknowledge (a late answer must not abort the press)"
            )


@pytest.mark.parametrize("path", _sources("bot/domain", "conversations", "schedules"), ids=str)
def test_sql_lives_in_storage(path: Path) -> None:
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
            raise AssertionError(
                f"{path.relative_to(ROOT)}:{node.lineno}: SQL belongs in bot/storage/"
            )
