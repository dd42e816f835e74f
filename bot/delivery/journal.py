"""Group commit of claims and outcomes: every row's state is committed around its send."""

from __future__ import annotations

import asyncio
import contextlib

from bot.clock import Clock
from bot.delivery.model import Outcome
from bot.storage.deliveries import DeliveryStore

FLUSH_ROWS = 64
FLUSH_SECONDS = 0.005


class Journal:
    """Writes a send's row states in small transactions shared by many workers.

    ``claim`` returns only once the row is committed as ``sending`` (or refused), so no
    request leaves before its row says so. ``record`` queues an outcome; outcomes are
    committed with the next claims, when ``FLUSH_ROWS`` are waiting, or after
    ``FLUSH_SECONDS``. Rows left ``sending`` by a crash are therefore at most the rows
    being sent plus the outcomes not yet flushed.
    """

    def __init__(self, store: DeliveryStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._claims: dict[int, asyncio.Future[bool]] = {}
        self._outcomes: list[Outcome] = []
        self._wake = asyncio.Event()
        self._timer: asyncio.TimerHandle | None = None
        self._closing = False
        self._task = asyncio.create_task(self._loop())

    async def claim(self, delivery_id: int) -> bool:
        """Commit the row as ``sending``; False if it is no longer pending or its send stopped."""
        future = self._claims[delivery_id] = asyncio.get_running_loop().create_future()
        self._wake.set()
        return await future

    def record(self, outcome: Outcome) -> None:
        """Queue the outcome of a row for the next commit."""
        self._outcomes.append(outcome)
        if len(self._outcomes) >= FLUSH_ROWS:
            self._wake.set()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(FLUSH_SECONDS, self._wake.set)

    async def close(self) -> None:
        """Commit everything still queued and stop."""
        self._closing = True
        self._wake.set()
        await self._task

    async def _loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            claims, self._claims = self._claims, {}
            outcomes, self._outcomes = self._outcomes, []
            if claims or outcomes:
                await self._commit(claims, outcomes)
            if self._closing and not self._claims and not self._outcomes:
                return

    async def _commit(
        self, claims: dict[int, asyncio.Future[bool]], outcomes: list[Outcome]
    ) -> None:
        try:
            claimed = await self._store.commit(outcomes, list(claims), self._clock.now())
        except Exception as error:
            for future in claims.values():
                if not future.done():
                    future.set_exception(error)
            raise
        except BaseException:
            for future in claims.values():
                future.cancel()
            raise
        for delivery_id, future in claims.items():
            with contextlib.suppress(asyncio.InvalidStateError):
                future.set_result(delivery_id in claimed)
