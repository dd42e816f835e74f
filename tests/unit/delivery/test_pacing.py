import asyncio
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.delivery.pacing import CATCH_UP, GROUP_PER_MINUTE, PRIVATE_INTERVAL, Pacer
from tests.unit.delivery.conftest import max_in_window


class VirtualTime:
    """A clock that moves only when the pacer sleeps or the test waits (one acquirer at a time)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


def pacer_on(time: VirtualTime, rate: int) -> Pacer:
    return Pacer(rate, clock=time, sleep=time.sleep)


# One step: (chat id, idle seconds before asking, pause seconds announced before asking).
steps = st.lists(
    st.tuples(
        st.sampled_from([1, 2, 3, 4, 5, 6, 7, 8, -100, -200]),
        st.sampled_from([0.0, 0.0, 0.0, 0.001, 0.05, 0.3, 0.99, 2.5]),
        st.sampled_from([0.0] * 12 + [0.5, 1.0, 3.0]),
    ),
    min_size=1,
    max_size=120,
)


@settings(max_examples=150, deadline=None)
@given(rate=st.integers(min_value=1, max_value=12), plan=steps)
async def test_no_limit_is_ever_exceeded(rate: int, plan: list[tuple[int, float, float]]) -> None:
    time = VirtualTime()
    pacer = pacer_on(time, rate)
    grants: list[tuple[int, float]] = []
    pauses: list[tuple[int, float]] = []
    for chat_id, idle, pause in plan:
        time.now += idle
        if pause:
            pacer.pause(pause)
            pauses.append((len(grants), time.now + pause))
        await pacer.acquire(chat_id)
        grants.append((chat_id, time.now))

    assert max_in_window([at for _, at in grants]) <= rate
    for chat_id in {chat for chat, _ in grants}:
        times = [at for chat, at in grants if chat == chat_id]
        if chat_id > 0:
            assert all(b - a >= PRIVATE_INTERVAL for a, b in itertools.pairwise(times))
        else:
            assert max_in_window(times, 60.0) <= GROUP_PER_MINUTE
    for first_after, end in pauses:
        assert all(at >= end for _, at in grants[first_after:])


async def test_after_an_idle_period_sends_resume_at_the_pace_not_in_a_burst() -> None:
    time = VirtualTime()
    pacer = pacer_on(time, 10)
    grants = []
    for chat_id in range(1, 11):
        await pacer.acquire(chat_id)
        grants.append(time.now)
    time.now += 0.6  # idle: a token bucket would now hold a burst of credit
    resumed = []
    for chat_id in range(11, 21):
        await pacer.acquire(chat_id)
        resumed.append(time.now)
    gaps = [b - a for a, b in itertools.pairwise(grants + resumed)]
    assert min(gaps) >= 0.1 - CATCH_UP
    assert max_in_window(grants + resumed) == 10


async def test_a_pause_holds_everyone_and_extends_but_never_shortens() -> None:
    time = VirtualTime()
    pacer = pacer_on(time, 100)
    pacer.pause(2.0)
    pacer.pause(0.5)
    assert pacer.paused
    await pacer.acquire(1)
    assert time.now == pytest.approx(2.0)
    assert not pacer.paused


async def test_a_group_gets_twenty_messages_a_minute() -> None:
    time = VirtualTime()
    pacer = pacer_on(time, 30)
    times = []
    for _ in range(GROUP_PER_MINUTE + 1):
        await pacer.acquire(-42)
        times.append(time.now)
    assert times[GROUP_PER_MINUTE - 1] < 1.0
    assert times[GROUP_PER_MINUTE] >= 60.0


async def test_concurrent_acquirers_respect_the_ceiling_in_real_time() -> None:
    pacer = Pacer(40)
    loop = asyncio.get_running_loop()
    grants: list[float] = []

    async def one(chat_id: int) -> None:
        await pacer.acquire(chat_id)
        grants.append(loop.time())

    await asyncio.gather(*(one(chat_id) for chat_id in range(1, 91)))
    assert len(grants) == 90
    assert max_in_window(grants) <= 40
    assert max(grants) - min(grants) >= 2.0


def test_the_ceiling_is_at_least_one() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Pacer(0)


async def test_a_grant_goes_stale_and_once_withdrawn_no_longer_counts() -> None:
    time = VirtualTime()
    pacer = pacer_on(time, 2)
    first = await pacer.acquire(1)
    assert pacer.fresh(first)
    time.now += 0.006  # the row's claim took too long to commit
    assert not pacer.fresh(first)
    pacer.withdraw(1, first)

    again = await pacer.acquire(1)  # same chat, no one-second wait for an unused grant
    other = await pacer.acquire(2)  # and the unused grant left the overall window

    assert (again, other) == (pytest.approx(0.5), pytest.approx(1.0))
    pacer.pause(1.0)
    assert not pacer.fresh(other)
