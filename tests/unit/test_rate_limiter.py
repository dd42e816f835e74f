from datetime import timedelta

import pytest
from telegram.error import RetryAfter

from bot.delivery.pacing import Pacer
from bot.rate_limiter import PacedRateLimiter


class ManualTime:
    """A monotonic clock the pacer sleeps on without real waiting."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def time() -> ManualTime:
    return ManualTime()


async def test_replies_share_the_overall_window_but_not_the_per_chat_spacing(
    time: ManualTime,
) -> None:
    pacer = Pacer(2, clock=time, sleep=time.sleep)
    limiter = PacedRateLimiter(pacer)
    calls: list[float] = []

    async def send() -> bool:
        calls.append(time.now)
        return True

    for _ in range(3):
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 7}, None)
    assert len(calls) == 3
    assert calls[2] - calls[0] >= 1.0  # the third message waited for the 2/s window
    time.slept.clear()
    await limiter.process_request(send, (), {}, "answerCallbackQuery", {}, None)
    assert time.slept == []  # not a message: no waiting


async def test_a_429_pauses_everything_then_the_request_is_retried(time: ManualTime) -> None:
    pacer = Pacer(30, clock=time, sleep=time.sleep)
    limiter = PacedRateLimiter(pacer, max_retries=2)
    attempts: list[float] = []

    async def send() -> bool:
        attempts.append(time.now)
        if len(attempts) == 1:
            raise RetryAfter(timedelta(seconds=4))
        return True

    assert await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 7}, None)
    assert len(attempts) == 2
    assert attempts[1] - attempts[0] >= 4


async def test_gives_up_after_the_retries(time: ManualTime) -> None:
    limiter = PacedRateLimiter(Pacer(30, clock=time, sleep=time.sleep), max_retries=1)

    async def always_429() -> bool:
        raise RetryAfter(timedelta(seconds=1))

    with pytest.raises(RetryAfter):
        await limiter.process_request(always_429, (), {}, "sendMessage", {"chat_id": 7}, None)
