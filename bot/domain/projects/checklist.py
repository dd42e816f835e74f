"""The network's project checklist as data: steps, each with criteria, French and English.

A file declares ``id``, ``title`` and ``[[steps]]`` (``id``, ``title``) each with
``[[steps.criteria]]`` (``id``, ``text``, optional ``users = true``). The first step must
hold exactly one ``users`` criterion: the user dimension is mandatory (seed 003), so a
project passes step 1 only when that criterion is met. The network's own
``checklists/projects.toml`` next to its database replaces the shipped one; a bad file is
logged and the shipped one is used.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.domain.diagnostic.questionnaire import Localized, QuestionnaireError, TomlReader

logger = logging.getLogger(__name__)

BUILTIN_FILE = Path(__file__).resolve().parents[2] / "checklists" / "projects.toml"
NETWORK_FILE = Path("checklists") / "projects.toml"
MAX_STEPS = 8
MAX_CRITERIA = 8
MAX_TEXT = 300


@dataclass(frozen=True)
class Criterion:
    """One thing to check about a project; ``users``: the mandatory user dimension."""

    id: str
    text: Localized
    users: bool = False


@dataclass(frozen=True)
class Step:
    """One step of the process and the criteria it checks."""

    id: str
    title: Localized
    criteria: tuple[Criterion, ...]

    def criterion(self, criterion_id: str) -> Criterion | None:
        """The criterion with this id, if the step has it."""
        return next((c for c in self.criteria if c.id == criterion_id), None)


@dataclass(frozen=True)
class Checklist:
    """The steps a project goes through, in order."""

    id: str
    title: Localized
    steps: tuple[Step, ...]
    problem: str | None = None

    def step(self, index: int) -> Step | None:
        """The step at ``index`` (0-based), None past the last one."""
        return self.steps[index] if 0 <= index < len(self.steps) else None


def _criteria(reader: TomlReader, raw: Any, first: bool) -> tuple[Criterion, ...]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_CRITERIA:
        raise reader.fail(f"a step needs 1 to {MAX_CRITERIA} [[steps.criteria]]")
    criteria: list[Criterion] = []
    for entry in raw:
        if not isinstance(entry, Mapping):
            raise reader.fail("each criterion is a table")
        criterion_id = reader.ident(entry.get("id"), "criterion id")
        if any(c.id == criterion_id for c in criteria):
            raise reader.fail(f"criterion {criterion_id!r} is used twice")
        users = reader.boolean(entry.get("users", False), "users")
        text = reader.localized(entry.get("text"), f"criterion {criterion_id}", MAX_TEXT)
        criteria.append(Criterion(criterion_id, text, users))
    users_count = sum(c.users for c in criteria)
    if first and users_count != 1:
        raise reader.fail("the first step needs exactly one criterion with users = true")
    if not first and users_count:
        raise reader.fail("only the first step holds the users criterion")
    return tuple(criteria)


def parse_checklist(source: str, name: str) -> Checklist:
    """A checklist from TOML text; QuestionnaireError names the file and the problem."""
    reader = TomlReader(name)
    try:
        raw = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise reader.fail(f"not valid TOML ({error})") from None
    checklist_id = reader.ident(raw.get("id"), "id")
    title = reader.localized(raw.get("title"), "title", MAX_TEXT)
    entries = raw.get("steps")
    if not isinstance(entries, list) or not 1 <= len(entries) <= MAX_STEPS:
        raise reader.fail(f"the file needs 1 to {MAX_STEPS} [[steps]]")
    steps: list[Step] = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            raise reader.fail("each step is a table")
        step_id = reader.ident(entry.get("id"), "step id")
        reader.where = f"step {step_id}"
        if any(s.id == step_id for s in steps):
            raise reader.fail("this id is used twice")
        step_title = reader.localized(entry.get("title"), "title", MAX_TEXT)
        criteria = _criteria(reader, entry.get("criteria"), first=not steps)
        steps.append(Step(step_id, step_title, criteria))
    return Checklist(checklist_id, title, tuple(steps))


def load_checklist(db_path: Path) -> Checklist:
    """The network's checklist next to its database if it is valid, else the shipped one."""
    own = db_path.resolve().parent / NETWORK_FILE
    if own.is_file():
        try:
            return parse_checklist(own.read_text("utf-8"), own.name)
        except (QuestionnaireError, OSError, UnicodeDecodeError) as error:
            logger.error("project checklist left out, the shipped one is used: %s", error)
            shipped = parse_checklist(BUILTIN_FILE.read_text("utf-8"), BUILTIN_FILE.name)
            return Checklist(shipped.id, shipped.title, shipped.steps, str(error))
    return parse_checklist(BUILTIN_FILE.read_text("utf-8"), BUILTIN_FILE.name)
