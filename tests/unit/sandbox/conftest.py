from collections.abc import AsyncIterator

import pytest
import telegram

from bot.sandbox import RateLimits, Sandbox, SimUser


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sandbox(clock: FakeClock) -> AsyncIterator[Sandbox]:
    box = Sandbox(rate_limits=RateLimits.off(), clock=clock)
    await box.start()
    yield box
    await box.stop()


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[telegram.Bot]:
    client = telegram.Bot(sandbox.token, base_url=sandbox.api_url, base_file_url=sandbox.file_url)
    async with client:
        yield client


@pytest.fixture
def alice(sandbox: Sandbox) -> SimUser:
    return sandbox.add_user(1001, "Alice", "Martin", "alice", started=True)


@pytest.fixture
def bob(sandbox: Sandbox) -> SimUser:
    return sandbox.add_user(1002, "Bob", username="bob", language_code="en", started=True)
