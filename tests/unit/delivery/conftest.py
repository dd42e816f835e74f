"""A scripted fake Sender (the engine's own interface) and an engine on a fresh database."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from bot.delivery import DeliveryEngine, Keyboard, Pacer, RetryPolicy
from bot.services import Services
from bot.storage.deliveries import DeliveryStore


@dataclass(frozen=True)
class Call:
    """One request the engine made."""

    chat_id: int
    text: str
    keyboard: Keyboard | None
    at: float
    ok: bool
    document: bytes | None = None
    """The file sent, for a document (``text`` is then its file name)."""


class FakeSender:
    """Answers with message ids, or raises what ``script[chat_id]`` says (None: no error)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.script: dict[int, list[Exception | None]] = {}
        self.latency = 0.0
        self.on_send: Callable[[int], None] | None = None
        self._ids = itertools.count(1)
        self._called = asyncio.Event()

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def send(self, chat_id: int, text: str, keyboard: Keyboard | None) -> int:
        return await self._answer(chat_id, text, keyboard, None)

    async def send_document(
        self, chat_id: int, filename: str, data: bytes, caption: str | None
    ) -> int:
        return await self._answer(chat_id, filename, None, data)

    async def _answer(
        self, chat_id: int, text: str, keyboard: Keyboard | None, document: bytes | None
    ) -> int:
        planned = self.script.get(chat_id)
        error = planned.pop(0) if planned else None
        self.calls.append(Call(chat_id, text, keyboard, time.monotonic(), error is None, document))
        self._called.set()
        if self.latency:
            await asyncio.sleep(self.latency)
        if error is not None:
            raise error
        if self.on_send is not None:
            self.on_send(chat_id)
        return next(self._ids)

    async def wait_for_calls(self, count: int) -> None:
        """Return once ``count`` requests were made."""
        while len(self.calls) < count:
            self._called.clear()
            await self._called.wait()

    def delivered(self) -> list[Call]:
        """The calls that succeeded."""
        return [call for call in self.calls if call.ok]

    def chats(self) -> list[int]:
        """The chats that got a message, one entry per message."""
        return [call.chat_id for call in self.delivered()]


def max_in_window(times: list[float], span: float = 1.0) -> int:
    """The largest number of instants falling in any half-open window [t, t + span)."""
    ordered = sorted(times)
    best, start = 0, 0
    for end, instant in enumerate(ordered):
        while ordered[start] <= instant - span:
            start += 1
        best = max(best, end - start + 1)
    return best


@pytest.fixture
def sender() -> FakeSender:
    return FakeSender()


@pytest.fixture
def store(services: Services) -> DeliveryStore:
    return DeliveryStore(services.db)


def make_engine(
    services: Services,
    sender: FakeSender,
    rate: int = 1000,
    concurrency: int = 8,
    zone: ZoneInfo | None = None,
) -> DeliveryEngine:
    """An engine with fast retries and a short private-chat interval."""
    return DeliveryEngine(
        DeliveryStore(services.db),
        sender,
        services.members,
        services.clock,
        concurrency=concurrency,
        retry=RetryPolicy(attempts=4, backoff=0.02),
        pacer=Pacer(rate, private_interval=0.05),
        zone=zone,
    )


@pytest.fixture
async def engine(services: Services, sender: FakeSender) -> AsyncIterator[DeliveryEngine]:
    built = make_engine(services, sender)
    yield built
    await built.close()
