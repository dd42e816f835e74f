"""Members' per-category opt-outs and delivery history, as a personal data source."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from bot.storage.deliveries import DeliveryStore


class DeliveryPreferences:
    """Which categories of sends a member refuses; exported and erased with their data."""

    name = "deliveries"

    def __init__(self, store: DeliveryStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def set_opted_out(self, user_id: int, category: str, opted_out: bool) -> None:
        """Opt the member out of (or back into) sends of ``category``."""
        await self._store.set_opted_out(user_id, category, opted_out, self._clock.now())

    async def opted_out(self, user_id: int) -> set[str]:
        """The categories the member opted out of."""
        return await self._store.opted_out_categories(user_id)

    async def export_personal_data(self, user_id: int) -> dict[str, Any]:
        """The member's opt-outs and the messages the engine sent them."""
        return await self._store.personal_data(user_id)

    async def erase_personal_data(self, user_id: int) -> None:
        """Drop opt-outs and unsent rows; sent rows stay as anonymous counts."""
        await self._store.erase_personal_data(user_id)
