"""Data protection: the privacy notice version, export of a member's data and erasure."""

from __future__ import annotations

from typing import Any, Protocol

PRIVACY_NOTICE_VERSION = "2026-11-v1"


class PersonalDataSource(Protocol):
    """An aggregate that holds personal data and can export and erase it."""

    name: str

    async def export_personal_data(self, user_id: int) -> Any:
        """Everything this aggregate holds about the user, JSON-serialisable."""
        ...

    async def erase_personal_data(self, user_id: int) -> None:
        """Remove the user's personal data, keeping anonymous aggregates."""
        ...


class PrivacyService:
    """Gathers and erases a member's data across every registered source."""

    def __init__(self, sources: list[PersonalDataSource]) -> None:
        self._sources = sources

    async def export(self, user_id: int) -> dict[str, Any]:
        """All personal data held about the user, one section per source."""
        return {
            "notice_version": PRIVACY_NOTICE_VERSION,
            **{source.name: await source.export_personal_data(user_id) for source in self._sources},
        }

    async def erase(self, user_id: int) -> None:
        """Erase the user's personal data from every source."""
        for source in self._sources:
            await source.erase_personal_data(user_id)
