"""Where a Bot API call goes, and the ids in what comes back, as the bot must see them.

Outgoing: a ``chat_id`` (or, without one, a ``user_id``) goes where ``Addressing.route_of``
sends it, rewritten to the account on that messenger; a callback query, a file or a poll
goes back to the upstream that produced it. Incoming (updates and results): every user,
and every private chat, becomes the member it acts as (``Addressing.member_of``), and the
other upstream's bot becomes the bot the Application knows (Telegram's).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from bot.gateway.speaking import WhereTheySpeak
from bot.transports import Addressing, Transport

ORIGIN_PARAMS = (
    "callback_query_id",
    "inline_query_id",
    "shipping_query_id",
    "pre_checkout_query_id",
    "file_id",
)
"""Parameters naming something an upstream produced: the call goes back to that upstream."""
ORIGIN_FIELDS = ("file_id", "file_path", "poll_id")
QUERY_KINDS = ("callback_query", "inline_query", "shipping_query", "pre_checkout_query", "poll")
REMEMBERED = 200_000
"""Origins kept (oldest forgotten first): far more than the callbacks and files in flight."""


class Origins:
    """Which upstream produced an id (a callback query, a file, a file path, a poll)."""

    def __init__(self, capacity: int = REMEMBERED) -> None:
        self._known: OrderedDict[str, Transport] = OrderedDict()
        self._capacity = capacity

    def note(self, value: object, transport: Transport) -> None:
        """Remember that ``value`` came from ``transport``."""
        key = str(value)
        self._known[key] = transport
        self._known.move_to_end(key)
        while len(self._known) > self._capacity:
            self._known.popitem(last=False)

    def of(self, value: str) -> Transport | None:
        """The upstream that produced ``value``, if it is known."""
        return self._known.get(value)


def _as_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def route(
    fields: dict[str, str], addressing: Addressing, origins: Origins
) -> tuple[Transport, dict[str, str]] | None:
    """The upstream a call goes to and its fields rewritten there; None: no target in it."""
    chat_id = _as_int(fields.get("chat_id"))
    user_id = _as_int(fields.get("user_id"))
    if chat_id is not None:
        transport, there = addressing.route_of(chat_id)
        rewritten = {**fields, "chat_id": str(there)}
        if user_id is not None:
            user_transport, user_there = addressing.route_of(user_id)
            if user_transport is transport:
                rewritten["user_id"] = str(user_there)
        return transport, rewritten
    if user_id is not None:
        transport, there = addressing.route_of(user_id)
        return transport, {**fields, "user_id": str(there)}
    for name in ORIGIN_PARAMS:
        if name in fields:
            known = origins.of(fields[name])
            if known is not None:
                return known, fields
    return None


def _speaker(update: dict[str, Any]) -> int | None:
    """The person (not a bot) whose action an update reports, if any."""
    for key, item in update.items():
        if key == "update_id" or not isinstance(item, dict):
            continue
        person = item.get("from") or item.get("user")
        if isinstance(person, dict) and not person.get("is_bot") and "id" in person:
            return int(person["id"])
    return None


class Presenter:
    """Rewrites what one upstream answers (updates, results) into the ids the bot knows."""

    def __init__(
        self, addressing: Addressing, origins: Origins, bot_ids: dict[int, int] | None = None
    ) -> None:
        self.addressing = addressing
        self.origins = origins
        self.bot_ids = bot_ids or {}
        """Each upstream's bot id → the bot id the Application knows (from getMe)."""

    def update(self, update: dict[str, Any], transport: Transport) -> dict[str, Any]:
        """An update from ``transport``, its queries remembered and its ids rewritten."""
        for kind in QUERY_KINDS:
            query = update.get(kind)
            if isinstance(query, dict) and "id" in query:
                self.origins.note(query["id"], transport)
        speaker = _speaker(update)
        if speaker is not None and isinstance(self.addressing, WhereTheySpeak):
            self.addressing.heard(self._member(speaker), transport, speaker)
        return self.value(update, transport)

    def value(self, value: Any, transport: Transport) -> Any:
        """Any answer from ``transport``: users and private chats become members."""
        if isinstance(value, list):
            return [self.value(item, transport) for item in value]
        if not isinstance(value, dict):
            return value
        out = {key: self.value(item, transport) for key, item in value.items()}
        for name in ORIGIN_FIELDS:
            if isinstance(out.get(name), str):
                self.origins.note(out[name], transport)
        ident = out.get("id")
        if isinstance(ident, int) and ("is_bot" in out or out.get("type") == "private"):
            out["id"] = self._member(ident)
        return out

    def _member(self, user_id: int) -> int:
        if user_id in self.bot_ids:
            return self.bot_ids[user_id]
        return self.addressing.member_of(user_id)
