"""The member directory: identity cards published by members, search, import and export."""

from bot.domain.directory.card import CARD_FIELDS, FIELD_LIMITS, Card, CardError, CardSource
from bot.domain.directory.importing import ImportPlan, Outcome, RowReport
from bot.domain.directory.service import PAGE_SIZE, DirectoryService, Page, Territory
from bot.domain.directory.spreadsheet import MAX_ROWS, SpreadsheetError

__all__ = [
    "CARD_FIELDS",
    "FIELD_LIMITS",
    "MAX_ROWS",
    "PAGE_SIZE",
    "Card",
    "CardError",
    "CardSource",
    "DirectoryService",
    "ImportPlan",
    "Outcome",
    "Page",
    "RowReport",
    "SpreadsheetError",
    "Territory",
]
