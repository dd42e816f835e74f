"""An identity card of the directory: its fields, their limits and the keys it is found by.

A vocabulary module (no other import of the project): the storage reads and returns it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

FIELD_LIMITS: dict[str, int] = {
    "name": 100,
    "structure": 120,
    "territory": 80,
    "role": 100,
    "skills": 600,
    "contact": 200,
}
"""Every text field of a card, in the order a card shows them, with its length limit."""
CARD_FIELDS: tuple[str, ...] = tuple(FIELD_LIMITS)
REQUIRED_FIELDS: tuple[str, ...] = ("structure", "territory")
PROFILE_PREFILL: dict[str, str] = {
    "name": "display_name",
    "structure": "organisation",
    "territory": "territory",
    "role": "function",
}
"""Card fields prefilled from the member's profile when they publish."""


class CardSource(StrEnum):
    """Who wrote a card: the member themselves, or an animator's spreadsheet."""

    MEMBER = "member"
    IMPORT = "import"


class CardError(ValueError):
    """A card value was refused; ``code`` names the catalog message."""

    def __init__(self, code: str, field: str = "", limit: int = 0) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.limit = limit


@dataclass(frozen=True)
class Card:
    """One card of the directory."""

    id: int
    user_id: int | None
    source: CardSource
    name: str
    structure: str
    territory: str
    role: str
    skills: str
    contact: str
    telegram_link: bool
    updated_at: datetime
    consented_at: datetime | None = None
    """When the member consented to publishing (None for an imported card)."""

    def value(self, field: str) -> str:
        """The text of one field."""
        return str(getattr(self, field))


def fold(text: str) -> str:
    """Lower case, no accents, letters and digits separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c)
    ).casefold()
    return " ".join(kept.split())


def match_key(structure: str, territory: str) -> str:
    """The key an imported card is recognised by: its structure and territory, folded."""
    return f"{fold(structure)}|{fold(territory)}"


def clean_value(field: str, text: str) -> str:
    """A typed or imported field value, whitespace squeezed; CardError if refused."""
    if field not in FIELD_LIMITS:
        raise CardError("unknown_field", field)
    value = " ".join(text.split())
    limit = FIELD_LIMITS[field]
    if len(value) > limit:
        raise CardError("too_long", field, limit)
    if not value and field in REQUIRED_FIELDS:
        raise CardError("empty", field)
    return value
