"""A member's say over bulk sends: each opt-out category on or off, quiet hours, /stop.

``/stop`` (``subscribed`` off) silences every broadcast and wins over the per-category
choices, which are kept underneath and apply again once the member resumes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from bot.delivery import DeliveryPreferences, QuietHours
from bot.domain.membership import MembershipService
from bot.domain.newsletter.model import NewsletterError

QUIET_PRESETS: dict[str, QuietHours] = {
    "19-8": QuietHours(time(19), time(8)),
    "20-8": QuietHours(time(20), time(8)),
    "21-7": QuietHours(time(21), time(7)),
    "22-7": QuietHours(time(22), time(7)),
}
"""The quiet hours a member may pick (network time), by button key."""


@dataclass(frozen=True)
class MemberPreferences:
    """What a member receives now."""

    subscribed: bool
    refused: frozenset[str]
    quiet: QuietHours | None

    def wants(self, category: str) -> bool:
        """True if the member chose to receive this category (/stop silences it all the same)."""
        return category not in self.refused


class BroadcastPreferences:
    """Reads and changes a member's broadcast preferences."""

    def __init__(self, members: MembershipService, deliveries: DeliveryPreferences) -> None:
        self._members = members
        self._deliveries = deliveries

    async def get(self, user_id: int) -> MemberPreferences:
        """The member's current preferences."""
        member = await self._members.get(user_id)
        return MemberPreferences(
            subscribed=member is not None and member.subscribed,
            refused=frozenset(await self._deliveries.opted_out(user_id)),
            quiet=await self._deliveries.quiet_hours(user_id),
        )

    async def set_wanted(self, user_id: int, category: str, wanted: bool) -> MemberPreferences:
        """Receive this category of send (an ``OptOutCategory``), or not."""
        await self._deliveries.set_opted_out(user_id, str(category), not wanted)
        return await self.get(user_id)

    async def set_quiet(self, user_id: int, preset: str | None) -> MemberPreferences:
        """Quiet hours from a preset key, or none; NewsletterError for an unknown key."""
        if preset is not None and preset not in QUIET_PRESETS:
            raise NewsletterError("unknown_preset")
        await self._deliveries.set_quiet_hours(user_id, QUIET_PRESETS.get(preset or ""))
        return await self.get(user_id)

    async def resume(self, user_id: int) -> MemberPreferences:
        """Undo /stop: broadcasts reach the member again, per their category choices."""
        await self._members.set_subscribed(user_id, True)
        return await self.get(user_id)


def preset_of(hours: QuietHours | None) -> str | None:
    """The preset key of these quiet hours (None if none or not a preset)."""
    for key, preset in QUIET_PRESETS.items():
        if preset == hours:
            return key
    return None
