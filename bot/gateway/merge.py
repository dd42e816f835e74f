"""One getUpdates stream merged from several upstreams, confirmed upstream only when the bot has.

Each upstream is long-polled by its own task. What it answers is queued under the router's
own ``update_id``s (increasing, from the microsecond clock at start-up, so they keep
increasing across a restart of the router while the bot keeps running). The upstream is
polled again, with the ``offset`` that confirms what it gave, only once the bot has
confirmed every one of those updates (its own ``offset`` past their router ids): a router
that stops in between loses nothing, the upstream gives the same updates again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.gateway.upstream import Call, Upstream
from bot.sandbox.pulse import Pulse
from bot.transports import Transport

log = logging.getLogger(__name__)

UPSTREAM_POLL = 25
"""Seconds of each long poll to an upstream."""
LONG_POLL_MAX = 50
RETRY_PAUSE = 2.0
WAIT_CONFIRMATION = 60.0


@dataclass(frozen=True)
class _Entry:
    router_id: int
    transport: Transport
    update: dict[str, Any]


Present = Callable[[dict[str, Any], Transport], dict[str, Any]]


class MergedUpdates:
    """Updates of every upstream, in arrival order, under the router's increasing ids."""

    def __init__(self, upstreams: list[Upstream], present: Present) -> None:
        self._upstreams = upstreams
        self._present = present
        self._next_id = time.time_ns() // 1000
        self._pending: deque[_Entry] = deque()
        self._fetched: dict[Transport, int] = {}
        self._arrived = Pulse()
        self._confirmed = Pulse()
        self._tasks: list[asyncio.Task[None]] = []
        self.allowed: str | None = None
        """The bot's ``allowed_updates`` (JSON), passed on to every upstream."""

    def start(self) -> None:
        """Start long-polling every upstream."""
        self._tasks = [
            asyncio.create_task(self._follow(upstream), name=f"router-poll-{upstream.transport}")
            for upstream in self._upstreams
        ]

    async def stop(self) -> None:
        """Stop polling; updates not confirmed by the bot stay unconfirmed upstream."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        self._arrived.fire()

    def drop_pending(self) -> None:
        """Forget every update waiting for the bot (``drop_pending_updates``)."""
        self._pending.clear()
        self._confirmed.fire()

    async def get(self, offset: int, limit: int, wait: float) -> list[dict[str, Any]]:
        """Telegram's getUpdates: confirm below ``offset``, then long-poll up to ``wait`` s."""
        self._confirm(offset)
        deadline = asyncio.get_running_loop().time() + min(max(wait, 0), LONG_POLL_MAX)
        while not self._pending and self._tasks:
            if not await self._arrived.wait(deadline - asyncio.get_running_loop().time()):
                break
        chosen = list(self._pending)[: min(max(limit, 1), 100)]
        return [{**entry.update, "update_id": entry.router_id} for entry in chosen]

    def _confirm(self, offset: int) -> None:
        if offset <= 0:
            return
        confirmed = False
        while self._pending and self._pending[0].router_id < offset:
            self._pending.popleft()
            confirmed = True
        if confirmed:
            self._confirmed.fire()

    def _waiting_for_bot(self, transport: Transport) -> bool:
        return any(entry.transport is transport for entry in self._pending)

    async def _follow(self, upstream: Upstream) -> None:
        """Long-poll one upstream, each time once the bot confirmed its previous answer."""
        transport = upstream.transport
        while True:
            while self._waiting_for_bot(transport):
                await self._confirmed.wait(WAIT_CONFIRMATION)
            fields = {"timeout": str(UPSTREAM_POLL), "limit": "100"}
            if transport in self._fetched:
                fields["offset"] = str(self._fetched[transport] + 1)
            if self.allowed is not None:
                fields["allowed_updates"] = self.allowed
            status, envelope = await upstream.call(Call("getUpdates", fields))
            if not envelope.get("ok"):
                log.warning(
                    "getUpdates on %s: %s %s", transport, status, envelope.get("description")
                )
                await asyncio.sleep(RETRY_PAUSE)
                continue
            self._queue(transport, envelope.get("result") or [])

    def _queue(self, transport: Transport, updates: list[dict[str, Any]]) -> None:
        last = self._fetched.get(transport)
        for update in updates:
            upstream_id = int(update["update_id"])
            if last is not None and upstream_id <= last:
                continue
            last = upstream_id
            entry = _Entry(self._next_id, transport, self._present(update, transport))
            self._next_id += 1
            self._pending.append(entry)
        if last is not None:
            self._fetched[transport] = last
        if updates:
            self._arrived.fire()


def allowed_updates(value: str | None) -> str | None:
    """The bot's ``allowed_updates`` as JSON text (None when it did not send any)."""
    if value is None:
        return None
    try:
        return json.dumps(json.loads(value))
    except ValueError:
        return None
