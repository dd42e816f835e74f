"""The directory and the import reports as spreadsheets (CSV like /journal, and .xlsx).

Only what is published goes out: the cards' fields, and a link to a member on Telegram
only when they allowed it. Cells that a spreadsheet would run as formulas are quoted.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence

from openpyxl import Workbook

from bot.domain.audit import safe_cell
from bot.domain.diagnostic.export import csv_bytes
from bot.domain.directory.card import CARD_FIELDS, Card
from bot.domain.directory.importing import ImportPlan, Outcome, RowReport

TELEGRAM_COLUMN = "telegram"


def telegram_link(card: Card) -> str:
    """The link to the card's member on Telegram, if they allowed it (else empty)."""
    if card.user_id is None or not card.telegram_link:
        return ""
    return f"tg://user?id={card.user_id}"


def card_table(cards: Sequence[Card], titles: Mapping[str, str]) -> list[list[str]]:
    """A header row (``titles`` by field and ``telegram``) and one row per card."""
    columns = [*CARD_FIELDS, TELEGRAM_COLUMN]
    rows = [[titles[name] for name in columns]]
    for card in cards:
        rows.append([safe_cell(card.value(name)) for name in CARD_FIELDS] + [telegram_link(card)])
    return rows


def xlsx_bytes(rows: Sequence[Sequence[str]], sheet_title: str) -> bytes:
    """An .xlsx workbook of one sheet holding ``rows`` as text cells."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cards_csv(cards: Sequence[Card], titles: Mapping[str, str]) -> bytes:
    """The cards as CSV (UTF-8 with BOM, ``;``)."""
    return csv_bytes(card_table(cards, titles))


def report_csv(
    plan: ImportPlan,
    titles: Sequence[str],
    outcome: Callable[[Outcome], str],
    reason: Callable[[RowReport], str],
) -> bytes:
    """The dry run's rows: line, outcome, structure, territory and the reason of a rejection."""
    rows = [list(titles)]
    for report in plan.reports:
        rows.append(
            [
                str(report.line),
                outcome(report.outcome),
                safe_cell(report.structure),
                safe_cell(report.territory),
                reason(report) if report.reason else "",
            ]
        )
    return csv_bytes(rows)
