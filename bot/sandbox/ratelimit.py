"""Telegram's flood limits: a global sliding window, per-private-chat buckets, per-group windows."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class RateLimits:
    """The limits the sandbox enforces on message-creating and editing methods.

    * ``global_per_second``: messages created (``send*``) in ANY sliding 1-second window;
      ``paid_per_second`` replaces it for requests with ``allow_paid_broadcast=true``.
    * ``private_per_second`` / ``private_burst``: token bucket per private chat (sends and
      edits both take a token).
    * ``group_per_minute``: sends and edits in one group in ANY sliding 60-second window.
    """

    enabled: bool = True
    global_per_second: float = 30.0
    private_per_second: float = 1.0
    private_burst: int = 10
    group_per_minute: float = 20.0
    paid_per_second: float = 1000.0

    @classmethod
    def off(cls) -> RateLimits:
        """No limit at all."""
        return cls(enabled=False)

    @classmethod
    def telegram(cls, scale: float = 1.0) -> RateLimits:
        """Telegram's documented limits, every *rate* multiplied by ``scale`` (burst unchanged)."""
        base = cls()
        return replace(
            base,
            global_per_second=base.global_per_second * scale,
            private_per_second=base.private_per_second * scale,
            group_per_minute=base.group_per_minute * scale,
            paid_per_second=base.paid_per_second * scale,
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form (control API)."""
        return asdict(self)


class _Window:
    """At most ``limit`` events in any sliding window of ``span`` seconds."""

    __slots__ = ("span", "times")

    def __init__(self, span: float) -> None:
        self.span = span
        self.times: deque[float] = deque()

    def wait(self, now: float, limit: float) -> float:
        """Seconds until one more event fits (0 if it fits now)."""
        times, cutoff = self.times, now - self.span
        while times and times[0] <= cutoff:
            times.popleft()
        allowed = math.floor(limit)
        if len(times) < allowed:
            return 0.0
        if allowed <= 0:
            return self.span
        return times[len(times) - allowed] + self.span - now

    def add(self, now: float) -> None:
        self.times.append(now)


class _Bucket:
    """Token bucket refilling at ``rate`` tokens per second up to ``burst``."""

    __slots__ = ("stamp", "tokens")

    def __init__(self, now: float, burst: float) -> None:
        self.tokens = burst
        self.stamp = now

    def wait(self, now: float, rate: float, burst: float) -> float:
        self.tokens = min(burst, self.tokens + (now - self.stamp) * rate)
        self.stamp = now
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / rate if rate > 0 else math.inf

    def take(self) -> None:
        self.tokens -= 1


class RateLimiter:
    """Decides whether one request may pass now; O(1) amortised per request."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.reconfigure(limits)

    def reconfigure(self, limits: RateLimits) -> None:
        """Switch to new limits, forgetting past traffic."""
        self.limits = limits
        self._global = _Window(1.0)
        self._paid = _Window(1.0)
        self._buckets: dict[int, _Bucket] = {}
        self._groups: dict[int, _Window] = {}

    def check(self, chat_id: int, *, private: bool, creates: bool, paid: bool = False) -> int:
        """Return 0 and count the request if it may pass, else ``retry_after`` seconds (≥ 1)."""
        limits = self.limits
        if not limits.enabled:
            return 0
        now = self.clock()
        waits = [0.0]
        bucket = window = None
        if private:
            bucket = self._buckets.get(chat_id)
            if bucket is None:
                bucket = self._buckets[chat_id] = _Bucket(now, limits.private_burst)
            waits.append(bucket.wait(now, limits.private_per_second, limits.private_burst))
        else:
            window = self._groups.get(chat_id)
            if window is None:
                window = self._groups[chat_id] = _Window(60.0)
            waits.append(window.wait(now, limits.group_per_minute))
        overall = self._paid if paid else self._global
        if creates:
            rate = limits.paid_per_second if paid else limits.global_per_second
            waits.append(overall.wait(now, rate))
        wait = max(waits)
        if wait > 0:
            return max(1, math.ceil(wait - 1e-9)) if wait != math.inf else 3600
        if bucket is not None:
            bucket.take()
        if window is not None:
            window.add(now)
        if creates:
            overall.add(now)
        return 0
