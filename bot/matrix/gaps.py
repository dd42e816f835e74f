"""Events a ``/sync`` left out: after a long downtime a room's timeline is ``limited``.

``/sync`` gives at most the filter's timeline limit of events per room; when more happened
since the last token (the bot was down a while, a busy group room), the rest is fetched
back with ``/messages`` from the timeline's ``prev_batch`` down to that token, so that a
restart loses no member action.
"""

from __future__ import annotations

from typing import Any

from mautrix.client import ClientAPI
from mautrix.types import PaginationDirection, RoomID, SyncToken

PAGE = 100


def left_out(room: dict[str, Any], bot_user_id: str) -> bool:
    """Whether a joined room's timeline left events out (not the bot's first sync of it)."""
    timeline = room.get("timeline", {})
    joined_now = any(
        event.get("type") == "m.room.member" and event.get("state_key") == bot_user_id
        for event in timeline.get("events", [])
    )
    return bool(timeline.get("limited")) and bool(timeline.get("prev_batch")) and not joined_now


async def missed_events(
    api: ClientAPI, room_id: str, prev_batch: str, since: str
) -> list[dict[str, Any]]:
    """The events of ``room_id`` after ``since`` and before ``prev_batch``, oldest first."""
    events: list[dict[str, Any]] = []
    token = SyncToken(prev_batch)
    while True:
        page = await api.get_messages(
            RoomID(room_id),
            PaginationDirection.BACKWARD,
            from_token=token,
            to_token=SyncToken(since),
            limit=PAGE,
        )
        events.extend(event.serialize() for event in page.events)
        if not page.events or not page.end or page.end == token:
            return list(reversed(events))
        token = page.end
