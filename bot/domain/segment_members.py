"""Who a segment matches among registered members, and which segments exist now."""

from __future__ import annotations

from bot.domain.segments import Segment, SegmentChoice, SegmentField
from bot.storage.segments import SegmentStore


class Segments:
    """Who a segment matches, and which segments exist."""

    def __init__(self, store: SegmentStore) -> None:
        self._store = store

    async def member_ids(self, segment: Segment) -> list[int]:
        """The registered members in the segment, by id."""
        if segment.field is None:
            return await self._store.registered_ids()
        return await self._store.ids_where(segment.field.value, segment.value)

    async def choices(self, field: SegmentField) -> list[SegmentChoice]:
        """Every value of ``field`` among registered members, with its member count."""
        counts = await self._store.value_counts(field.value)
        return [SegmentChoice(Segment(field, value), count) for value, count in counts]

    async def find(self, field: SegmentField, key: str) -> SegmentChoice | None:
        """The existing segment of ``field`` whose value digest is ``key``, if any."""
        for choice in await self.choices(field):
            if choice.segment.key == key:
                return choice
        return None
