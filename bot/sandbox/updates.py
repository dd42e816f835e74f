"""The bot's pending updates, with Telegram's getUpdates semantics."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from typing import Any, Protocol

from bot.sandbox import errors
from bot.sandbox.pulse import Pulse

LONG_POLL_MAX = 50
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class Journal(Protocol):
    """Keeps the pending updates somewhere durable (the Matrix gateway's state file)."""

    def pushed(self, update: dict[str, Any], next_id: int) -> None:
        """``update`` was queued; the next update will get ``next_id``."""
        ...

    def confirmed(self, first_pending: int) -> None:
        """Every update below ``first_pending`` was confirmed (or dropped) by the bot."""
        ...


class _Poller:
    """One getUpdates call waiting for updates."""

    __slots__ = ("terminated",)

    def __init__(self) -> None:
        self.terminated = False


class UpdateQueue:
    """Updates not yet confirmed by the bot, in order, with increasing ``update_id``."""

    def __init__(self, first_update_id: int = 1) -> None:
        self._pending: deque[dict[str, Any]] = deque()
        self._next_id = first_update_id
        self.allowed: frozenset[str] | None = None  # None: Telegram's default set
        self._changed = Pulse()
        self._poller: _Poller | None = None
        self.closed = False
        self.journal: Journal | None = None

    def restore(self, pending: Iterable[dict[str, Any]], next_id: int) -> None:
        """Put back updates the bot had not confirmed before a restart, in order."""
        self._pending.extend(pending)
        self._next_id = max(next_id, self._next_id)
        self._wake()

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def last_update_id(self) -> int:
        """The id of the latest update queued (0: none yet)."""
        return self._next_id - 1

    def push(self, kind: str, payload: dict[str, Any]) -> None:
        """Queue an update of ``kind`` (``message``, ``callback_query``...) unless filtered out."""
        allowed = self.allowed
        if kind in _NOT_BY_DEFAULT if allowed is None else kind not in allowed:
            return
        self._append({"update_id": self._next_id, kind: payload})

    def push_raw(self, raw: dict[str, Any]) -> int:
        """Queue ``raw`` verbatim (any keys, even unknown kinds) with a fresh ``update_id``.

        Unlike :meth:`push`, ``allowed_updates`` is not applied: this is how tests play a
        client that sends whatever it likes (see :meth:`bot.sandbox.Sandbox.inject_update`).
        """
        update_id = self._next_id
        self._append({**raw, "update_id": update_id})
        return update_id

    def _append(self, update: dict[str, Any]) -> None:
        self._pending.append(update)
        self._next_id += 1
        if self.journal is not None:
            self.journal.pushed(update, self._next_id)
        self._wake()

    def drop_pending(self) -> None:
        """Forget every pending update (``drop_pending_updates``)."""
        self._pending.clear()
        if self.journal is not None:
            self.journal.confirmed(self._next_id)

    def close(self) -> None:
        """Release every waiting getUpdates with an empty answer (server stopping)."""
        self.closed = True
        self._wake()

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Persist ``allowed_updates``; an empty list restores the default set."""
        self.allowed = frozenset(allowed) if allowed else None

    async def get(self, offset: int, limit: int, wait: float) -> list[dict[str, Any]]:
        """Confirm up to ``offset``, then return up to ``limit`` updates, long-polling."""
        self._confirm(offset)
        limit = min(max(limit, 1), 100)
        wait = min(max(wait, 0), LONG_POLL_MAX)
        if self._poller is not None:
            self._poller.terminated = True
            self._poller = None
            self._wake()
        if not self._pending and wait > 0 and not self.closed:
            await self._wait(wait)
        return [self._pending[i] for i in range(min(limit, len(self._pending)))]

    async def _wait(self, seconds: float) -> None:
        poller = self._poller = _Poller()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        try:
            while not self._pending and not self.closed:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return
                if not await self._changed.wait(remaining):
                    return
                if poller.terminated:
                    raise errors.ApiError(409, errors.CONFLICT_GET_UPDATES)
        finally:
            if self._poller is poller:
                self._poller = None

    def _confirm(self, offset: int) -> None:
        pending = self._pending
        before = len(pending)
        if offset < 0:
            while len(pending) > -offset:
                pending.popleft()
        elif offset > 0:
            while pending and pending[0]["update_id"] < offset:
                pending.popleft()
        if self.journal is not None and len(pending) != before:
            self.journal.confirmed(pending[0]["update_id"] if pending else self._next_id)

    def _wake(self) -> None:
        self._changed.fire()
