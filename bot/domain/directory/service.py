"""The directory as one service: members' own cards, search, territories, imports, exports.

Also a personal data source: the member's card (and an animator's pending import).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from bot.clock import Clock, to_iso
from bot.domain.directory.card import (
    CARD_FIELDS,
    FIELD_LIMITS,
    PROFILE_PREFILL,
    Card,
    CardError,
    clean_value,
)
from bot.domain.directory.importing import ImportPlan, plan_import
from bot.domain.directory.search import fts_query, search_terms
from bot.domain.directory.spreadsheet import read_sheet
from bot.domain.members import Member
from bot.storage.db import Database
from bot.storage.directory import CardStore, ImportStore, TerritoryCount

PAGE_SIZE = 8


@dataclass(frozen=True)
class Page:
    """One page of cards: which, of how many, and the cards."""

    number: int
    total: int
    cards: tuple[Card, ...]

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // PAGE_SIZE))


@dataclass(frozen=True)
class Territory:
    """A territory to browse: a short key for buttons, its label and its number of cards."""

    key: str
    label: str
    count: int
    folded: str


def territory_key(folded: str) -> str:
    """A short, stable key for a territory's folded name (fits in a button)."""
    return hashlib.sha1(folded.encode(), usedforsecurity=False).hexdigest()[:10]


class DirectoryService:
    """Cards of the members who published one, and the structures animators imported."""

    name = "directory"

    def __init__(self, db: Database, clock: Clock) -> None:
        self._cards = CardStore(db)
        self._imports = ImportStore(db)
        self._clock = clock

    async def card_of(self, user_id: int) -> Card | None:
        """The member's own card, if they published one."""
        return await self._cards.of_member(user_id)

    async def get(self, card_id: int) -> Card | None:
        """One card."""
        return await self._cards.get(card_id)

    async def publish(self, member: Member) -> Card:
        """Publish the member's card (they consented), prefilled from their profile."""
        existing = await self._cards.of_member(member.user_id)
        if existing is not None:
            return existing
        values = {field: "" for field in CARD_FIELDS}
        for field, profile_field in PROFILE_PREFILL.items():
            text = getattr(member, profile_field) or ""
            values[field] = " ".join(text.split())[: FIELD_LIMITS[field]]
        values["structure"] = values["structure"] or "—"
        values["territory"] = values["territory"] or "—"
        await self._cards.publish(member.user_id, values, self._clock.now())
        card = await self._cards.of_member(member.user_id)
        assert card is not None
        return card

    async def set_field(self, user_id: int, field: str, text: str) -> Card:
        """Change one field of the member's card; CardError if refused or no card."""
        card = await self._cards.of_member(user_id)
        if card is None:
            raise CardError("no_card", field)
        values = {name: card.value(name) for name in CARD_FIELDS}
        values[field] = clean_value(field, text)
        await self._cards.update_member_card(user_id, values, self._clock.now())
        updated = await self._cards.of_member(user_id)
        assert updated is not None
        return updated

    async def set_telegram_link(self, user_id: int, allowed: bool) -> Card | None:
        """Show or hide the link to the member on Telegram."""
        await self._cards.set_telegram_link(user_id, allowed, self._clock.now())
        return await self._cards.of_member(user_id)

    async def withdraw(self, user_id: int) -> bool:
        """Take the member's card out of the directory (deleted); False if none."""
        return await self._cards.withdraw(user_id)

    async def search(self, text: str, page: int = 0) -> tuple[tuple[str, ...], Page]:
        """The words searched for and one page of matching cards."""
        terms = search_terms(text)
        query = fts_query(terms)
        if query is None:
            return terms, Page(0, 0, ())
        page = max(page, 0)
        total, cards = await self._cards.search(query, PAGE_SIZE, page * PAGE_SIZE)
        last = max(0, (total - 1) // PAGE_SIZE)
        if page > last:  # a forged or outdated page number: the last page instead
            page = last
            total, cards = await self._cards.search(query, PAGE_SIZE, page * PAGE_SIZE)
        return terms, Page(page, total, tuple(cards))

    async def territories(self) -> list[Territory]:
        """Territories with their number of cards, the largest first."""
        counts: list[TerritoryCount] = await self._cards.territories()
        return [Territory(territory_key(c.key), c.label, c.count, c.key) for c in counts]

    async def territory(self, key: str, page: int = 0) -> tuple[Territory, Page] | None:
        """One page of a territory's cards (None: no such territory any more)."""
        found = next((t for t in await self.territories() if t.key == key), None)
        if found is None:
            return None
        cards = await self._cards.in_territory(found.folded, PAGE_SIZE, max(page, 0) * PAGE_SIZE)
        return found, Page(page, found.count, tuple(cards))

    async def all_cards(self) -> list[Card]:
        """Every published card (exports)."""
        return await self._cards.all_cards()

    async def check_import(
        self, user_id: int, file_name: str, data: bytes
    ) -> tuple[str, ImportPlan]:
        """Read and check a spreadsheet (in a worker thread); keep it for confirmation.

        Returns the confirmation token and the plan; SpreadsheetError if unreadable.
        """
        sheet = await asyncio.to_thread(read_sheet, file_name, data)
        imported, member_keys = await self._cards.imported_by_key(), await self._cards.member_keys()
        plan = plan_import(sheet, imported, member_keys)
        token = secrets.token_hex(4)
        await self._imports.put(user_id, token, list(plan.cards), self._clock.now())
        return token, plan

    async def confirm_import(self, user_id: int, token: str) -> int | None:
        """Write the checked import at once (one transaction); None if it is not waiting."""
        cards = await self._imports.take(user_id, token)
        if cards is None:
            return None
        await self._cards.apply_import(cards, self._clock.now())
        return len(cards)

    async def cancel_import(self, user_id: int) -> bool:
        """Forget the animator's pending import."""
        return await self._imports.drop(user_id)

    async def export_personal_data(self, user_id: int) -> dict[str, Any] | None:
        """The member's card as published."""
        card = await self._cards.of_member(user_id)
        if card is None:
            return None
        return {
            **{field: card.value(field) for field in CARD_FIELDS},
            "telegram_link": card.telegram_link,
            "consented_at": to_iso(card.consented_at) if card.consented_at else None,
            "updated_at": to_iso(card.updated_at),
        }

    async def erase_personal_data(self, user_id: int) -> None:
        """Delete the member's card (and index entries) and any pending import of theirs."""
        await self._cards.withdraw(user_id)
        await self._imports.drop(user_id)
