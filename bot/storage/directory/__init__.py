"""The directory's SQL: cards with their full-text index, and imports awaiting confirmation."""

from bot.storage.directory.cards import CardStore, TerritoryCount
from bot.storage.directory.imports import ImportStore

__all__ = ["CardStore", "ImportStore", "TerritoryCount"]
