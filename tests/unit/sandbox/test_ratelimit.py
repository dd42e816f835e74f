from bot.sandbox.ratelimit import RateLimiter, RateLimits
from tests.unit.sandbox.conftest import FakeClock


def limiter(clock: FakeClock, **limits: float) -> RateLimiter:
    return RateLimiter(RateLimits(**limits), clock)  # type: ignore[arg-type]


def test_global_limit_is_a_sliding_one_second_window(clock: FakeClock) -> None:
    rl = limiter(clock, global_per_second=3, private_burst=100, private_per_second=100)
    for chat in (1, 2, 3):
        assert rl.check(chat, private=True, creates=True) == 0
        clock.advance(0.3)
    # Sent at t=0, 0.3, 0.6; now t=0.9: a 4th message would make 4 in [0, 0.9].
    assert rl.check(4, private=True, creates=True) == 1
    clock.advance(0.11)  # t=1.01: the first one left the window
    assert rl.check(4, private=True, creates=True) == 0
    assert rl.check(5, private=True, creates=True) == 1


def test_refused_requests_do_not_count(clock: FakeClock) -> None:
    rl = limiter(clock, global_per_second=1, private_burst=100, private_per_second=100)
    assert rl.check(1, private=True, creates=True) == 0
    for _ in range(5):
        assert rl.check(2, private=True, creates=True) == 1
    clock.advance(1.0)
    assert rl.check(2, private=True, creates=True) == 0


def test_private_bucket_allows_a_burst_then_one_per_second(clock: FakeClock) -> None:
    rl = limiter(clock, global_per_second=1000, private_burst=10, private_per_second=1)
    assert [rl.check(7, private=True, creates=True) for _ in range(10)] == [0] * 10
    assert rl.check(7, private=True, creates=True) == 1
    assert rl.check(8, private=True, creates=True) == 0  # another chat has its own bucket
    clock.advance(1.0)
    assert rl.check(7, private=True, creates=True) == 0
    assert rl.check(7, private=True, creates=True) == 1


def test_edits_take_tokens_from_the_chat_but_not_the_global_window(clock: FakeClock) -> None:
    rl = limiter(clock, global_per_second=1, private_burst=2, private_per_second=0.5)
    assert rl.check(7, private=True, creates=False) == 0
    assert rl.check(7, private=True, creates=False) == 0
    assert rl.check(7, private=True, creates=False) == 2  # 1 token at 0.5/s
    assert rl.check(9, private=True, creates=True) == 0


def test_group_limit_is_a_sixty_second_window_with_exact_retry_after(clock: FakeClock) -> None:
    rl = limiter(clock, global_per_second=1000, group_per_minute=20)
    for _ in range(20):
        assert rl.check(-5, private=False, creates=True) == 0
        clock.advance(1.0)
    # First send at t=0 leaves the window at t=60; now t=20.
    assert rl.check(-5, private=False, creates=True) == 40
    clock.advance(39.5)
    assert rl.check(-5, private=False, creates=True) == 1
    clock.advance(0.5)
    assert rl.check(-5, private=False, creates=True) == 0


def test_paid_broadcast_uses_its_own_higher_ceiling(clock: FakeClock) -> None:
    rl = limiter(clock, global_per_second=1, paid_per_second=3, private_burst=100)
    assert rl.check(1, private=True, creates=True) == 0
    assert rl.check(2, private=True, creates=True) == 1
    assert [rl.check(3 + i, private=True, creates=True, paid=True) for i in range(4)] == [
        0,
        0,
        0,
        1,
    ]


def test_off_and_scaled_limits(clock: FakeClock) -> None:
    rl = RateLimiter(RateLimits.off(), clock)
    assert all(rl.check(1, private=True, creates=True) == 0 for _ in range(1000))
    scaled = RateLimits.telegram(scale=10)
    assert (scaled.global_per_second, scaled.private_per_second, scaled.group_per_minute) == (
        300,
        10,
        200,
    )
    assert scaled.private_burst == RateLimits().private_burst
    rl.reconfigure(RateLimits(global_per_second=1))
    assert rl.check(1, private=True, creates=True) == 0
    assert rl.check(2, private=True, creates=True) == 1
