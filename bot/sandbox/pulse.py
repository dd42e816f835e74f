"""A signal that wakes every current waiter each time it fires."""

from __future__ import annotations

import asyncio


class Pulse:
    """Waiters block until the next :meth:`fire`; firing with nobody waiting costs nothing."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None

    def fire(self) -> None:
        """Wake everyone waiting now."""
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the next fire; False on timeout."""
        if seconds <= 0:
            return False
        if self._event is None:
            self._event = asyncio.Event()
        event = self._event
        try:
            async with asyncio.timeout(seconds):
                await event.wait()
        except TimeoutError:
            return False
        return True
