"""The getUpdates connection: an update python-telegram-bot cannot read is skipped, not fatal.

python-telegram-bot parses a whole getUpdates answer at once (``Update.de_list``). One update
it cannot read (a field missing, a shape a newer Bot API version or a misbehaving server
sends) makes the whole batch fail: the updater logs a traceback, never confirms the batch,
fetches the same updates again and serves nobody, forever. ``parse_json_payload`` is the
hook PTB documents for customising how answers are read; here every update of the batch is
tried alone, and one that cannot be read is replaced by its bare ``update_id`` (one warning
line, no traceback): its id is confirmed, no handler matches it, the others are served.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest

logger = logging.getLogger(__name__)


def readable_updates(raw: list[Any]) -> list[Any]:
    """``raw`` with each update python-telegram-bot cannot read reduced to its ``update_id``.

    An item without an integer ``update_id`` cannot be confirmed nor dispatched: it is left out.
    """
    kept: list[Any] = []
    for item in raw:
        update_id = item.get("update_id") if isinstance(item, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            logger.warning("skipped an update without update_id: %.200r", item)
            continue
        try:
            Update.de_json(copy.deepcopy(item), None)
        except Exception as error:  # any way the library fails to read it: skip that one only
            kinds = sorted(key for key in item if key != "update_id")
            logger.warning(
                "skipped update %d (%s): python-telegram-bot cannot read it: %s: %.200s",
                update_id,
                ", ".join(kinds) or "empty",
                type(error).__name__,
                error,
            )
            kept.append({"update_id": update_id})
            continue
        kept.append(item)
    return kept


class UpdatesRequest(HTTPXRequest):
    """The HTTP client of getUpdates (only): unreadable updates are skipped one by one."""

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """The answer, its ``result`` filtered by :func:`readable_updates` when it succeeded."""
        data: dict[str, Any] = HTTPXRequest.parse_json_payload(payload)
        result = data.get("result")
        if data.get("ok") is True and isinstance(result, list):
            data["result"] = readable_updates(result)
        return data
