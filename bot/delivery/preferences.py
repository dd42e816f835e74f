"""Members' per-category opt-outs, quiet hours and delivery history, as a personal data source."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from bot.delivery.quiet import QuietHours
from bot.storage.deliveries import DeliveryStore


class DeliveryPreferences:
    """Which categories a member refuses and when they want quiet; exported and erased."""

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

    async def set_quiet_hours(self, user_id: int, hours: QuietHours | None) -> None:
        """Set the member's quiet hours (None: none)."""
        await self._store.set_quiet_hours(user_id, hours, self._clock.now())

    async def quiet_hours(self, user_id: int) -> QuietHours | None:
        """The member's quiet hours, if any."""
        return await self._store.quiet_hours(user_id)

    async def export_personal_data(self, user_id: int) -> dict[str, Any]:
        """The member's opt-outs, quiet hours and the messages the engine sent them."""
        return await self._store.personal_data(user_id)

    async def erase_personal_data(self, user_id: int) -> None:
        """Drop opt-outs, quiet hours and unsent rows; sent rows stay as anonymous counts."""
        await self._store.erase_personal_data(user_id)
