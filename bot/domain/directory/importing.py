"""Checking a spreadsheet against the directory (the dry run): each row's outcome and reason.

An imported row is a *structure card*: a structure of the network on a territory, with the
optional contact person, role, services and contact the sheet gives. It is tied to no
Telegram member. Its key is the structure and territory (accents, case and punctuation
ignored): importing the same sheet again updates those cards instead of doubling them, and
columns the sheet lacks keep their earlier values. A member's own card always wins: a row
matching one is rejected, and a member who publishes a card for an imported structure
replaces it (the imported card is absorbed).
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.directory.card import CARD_FIELDS, Card, CardError, clean_value, match_key
from bot.domain.directory.spreadsheet import FORMULA, Sheet, SheetRow


class Outcome(StrEnum):
    """What confirming the import does with a row."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass(frozen=True)
class RowReport:
    """One row's outcome; a rejection names its reason (catalog code) and detail."""

    line: int
    outcome: Outcome
    structure: str
    territory: str
    reason: str = ""
    detail: str = ""


@dataclass(frozen=True)
class ImportPlan:
    """Every row's outcome and the card values to write once confirmed."""

    reports: tuple[RowReport, ...]
    cards: tuple[dict[str, str], ...] = field(default=())

    def count(self, outcome: Outcome) -> int:
        """How many rows have ``outcome``."""
        return sum(1 for report in self.reports if report.outcome is outcome)

    def rejected(self) -> list[RowReport]:
        """The rejected rows, in file order."""
        return [report for report in self.reports if report.outcome is Outcome.REJECTED]


class _Rejected(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def _text(value: object) -> str:
    """A cell as text: whole numbers without '.0', nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _values(row: SheetRow) -> dict[str, str]:
    """The row's cleaned values by field; _Rejected on a formula or a refused value."""
    values: dict[str, str] = {}
    for name, cell in row.cells.items():
        if cell is FORMULA:
            raise _Rejected("formula", name)
        try:
            values[name] = clean_value(name, _text(cell))
        except CardError as error:
            raise _Rejected(error.code, name) from None
    for name in ("structure", "territory"):
        if not values.get(name):
            raise _Rejected("empty", name)
    return values


def plan_import(sheet: Sheet, imported: Mapping[str, Card], member_keys: Set[str]) -> ImportPlan:
    """The dry run: each row created, updated, unchanged or rejected (with why)."""
    reports: list[RowReport] = []
    cards: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for row in sheet.rows:
        structure, territory = _text(row.cells.get("structure")), _text(row.cells.get("territory"))
        try:
            values = _values(row)
            key = match_key(values["structure"], values["territory"])
            if key in seen:
                raise _Rejected("duplicate", str(seen[key]))
            if key in member_keys:
                raise _Rejected("member_card")
        except _Rejected as rejected:
            reports.append(
                RowReport(
                    row.line,
                    Outcome.REJECTED,
                    structure[:60],
                    territory[:60],
                    rejected.reason,
                    rejected.detail,
                )
            )
            continue
        seen[key] = row.line
        outcome, merged = _against(values, imported.get(key))
        reports.append(RowReport(row.line, outcome, values["structure"], values["territory"]))
        if outcome is not Outcome.UNCHANGED:
            cards.append(merged)
    return ImportPlan(tuple(reports), tuple(cards))


def _against(values: dict[str, str], existing: Card | None) -> tuple[Outcome, dict[str, str]]:
    """Created, or the existing card updated (columns the sheet lacks keep their value)."""
    if existing is None:
        return Outcome.CREATED, {name: values.get(name, "") for name in CARD_FIELDS}
    merged = {name: values.get(name, existing.value(name)) for name in CARD_FIELDS}
    unchanged = all(merged[name] == existing.value(name) for name in CARD_FIELDS)
    return (Outcome.UNCHANGED if unchanged else Outcome.UPDATED), merged
