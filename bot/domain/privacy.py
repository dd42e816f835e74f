"""Data protection: the privacy notice version, export of a member's data and erasure."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from bot.clock import Clock
from bot.storage.authored_sends import AuthoredSends

PRIVACY_NOTICE_VERSION = "2026-11-v1"

TYPED_FIELDS = frozenset(
    {
        "display_name",
        "title",
        "description",
        "case_text",
        "text",
        "note",
        "body",
        "charter",
        "meeting_detail",
        "link",
        "problem",
        "audience",
        "needs",
        "comment",
    }
)
"""Fields of an export that hold what the person typed (searched for in stored messages).

Not the organisation nor the function: many members share them, and a message naming the
person names them by their display name anyway.
"""


class PersonalDataSource(Protocol):
    """An aggregate that holds personal data and can export and erase it."""

    name: str

    async def export_personal_data(self, user_id: int) -> Any:
        """Everything this aggregate holds about the user, JSON-serialisable."""
        ...

    async def erase_personal_data(self, user_id: int) -> None:
        """Remove the user's personal data, keeping anonymous aggregates."""
        ...


def typed_texts(data: Any) -> set[str]:
    """Every text under a ``TYPED_FIELDS`` key anywhere in an export."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in TYPED_FIELDS and isinstance(value, str) and value.strip():
                found.add(value)
            else:
                found |= typed_texts(value)
    elif isinstance(data, list):
        for item in data:
            found |= typed_texts(item)
    return found


class Quotes(Protocol):
    """Stored messages that may quote what an erased person typed."""

    async def forget_quotes(self, texts: Iterable[str]) -> int:
        """Drop the content of stored messages quoting any of ``texts``; return how many."""
        ...


class SendsOfPerson:
    """The sends a member created, and the sends quoting them: emptied (once over)."""

    name = "sends"

    def __init__(self, store: AuthoredSends, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def export_personal_data(self, user_id: int) -> list[dict[str, Any]]:
        """The sends the member created."""
        return await self._store.export_personal_data(user_id)

    async def erase_personal_data(self, user_id: int) -> None:
        """Empty the member's sends (those still to go once over) and unlink them."""
        await self._store.erase_author(user_id, self._clock.now())

    async def forget_quotes(self, texts: Iterable[str]) -> int:
        """Empty the sends that quote any of ``texts`` (those still to go once over)."""
        return await self._store.forget_quotes(texts, self._clock.now())


class PrivacyService:
    """Gathers and erases a member's data across every registered source."""

    def __init__(self, sources: list[PersonalDataSource], quotes: Quotes | None = None) -> None:
        self._sources = sources
        self._quotes = quotes

    def add_source(self, source: PersonalDataSource) -> None:
        """Cover one more source, exported and erased first (before its links are gone)."""
        self._sources.insert(0, source)

    async def export(self, user_id: int) -> dict[str, Any]:
        """All personal data held about the user, one section per source."""
        return {
            "notice_version": PRIVACY_NOTICE_VERSION,
            **{source.name: await source.export_personal_data(user_id) for source in self._sources},
        }

    async def erase(self, user_id: int) -> None:
        """Erase the user's personal data from every source, then the messages quoting it.

        What the person typed is read from their export first (``TYPED_FIELDS``): a sent
        message quoting it (a topic in a vote announcement, a case in an invitation, their
        name) keeps its delivery counts but loses its content.
        """
        texts = typed_texts(await self.export(user_id)) if self._quotes else set()
        for source in self._sources:
            await source.erase_personal_data(user_id)
        if self._quotes is not None:
            await self._quotes.forget_quotes(texts)
