"""Pacing under Telegram's flood limits: overall ceiling, per private chat, per group."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

PRIVATE_INTERVAL = 1.0
GROUP_PER_MINUTE = 20
SAFETY_MARGIN = 0.02
CATCH_UP = 0.01
FRESH_GRANT = 0.005


class _Window:
    """The times of the last ``limit`` events; the next may pass ``span`` after the oldest."""

    __slots__ = ("limit", "span", "times")

    def __init__(self, limit: int, span: float) -> None:
        self.limit = limit
        self.span = span
        self.times: deque[float] = deque(maxlen=limit)

    def wait(self, now: float) -> float:
        """Seconds until one more event fits."""
        if len(self.times) < self.limit:
            return 0.0
        return self.times[0] + self.span - now

    def add(self, now: float) -> None:
        self.times.append(now)

    def discard(self, instant: float) -> None:
        """Forget one event at ``instant`` (searched from the newest: it is recent)."""
        times = self.times
        for index in range(len(times) - 1, -1, -1):
            if times[index] == instant:
                del times[index]
                return


class Pacer:
    """Grants the right to send one message, never exceeding any of Telegram's limits.

    The overall ceiling is a *sliding window*: the times of the last ``per_second`` sends
    are kept, and one more may go only once the oldest of them is ``1 s + margin`` old. So in
    ANY one-second window there are at most ``per_second`` sends, including right after an
    idle period or a pause. A token or leaky bucket (aiolimiter, PTB's AIORateLimiter) does
    not give that guarantee: after idling, its full burst plus the steady rate both fit in
    the same second, up to twice the ceiling. The margin absorbs the jitter between the
    moment a send is granted here and the moment Telegram receives it.

    Within that guarantee, sends are also spread evenly (one every ``1/per_second`` s, a
    late grant may catch up by ``CATCH_UP`` s). The window alone would let the whole
    ceiling go in one burst at the start of each second; a burst queues up at the
    receiver, whose clock then sees the first sends of a burst late and the next burst on
    time: more than the ceiling in its one-second window, and 429s.

    Per chat: one message per ``private_interval`` to a private chat (positive id), at most
    ``group_per_minute`` in any minute to a group (negative id; None: no group limit, as
    on Matrix). ``pause`` (a 429's
    ``retry_after``) holds every send until it ends.
    """

    def __init__(
        self,
        per_second: int,
        *,
        private_interval: float = PRIVATE_INTERVAL,
        group_per_minute: int | None = GROUP_PER_MINUTE,
        margin: float = SAFETY_MARGIN,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_second < 1:
            raise ValueError("the ceiling must be at least one message per second")
        self.per_second = per_second
        self._clock = clock
        self._sleep = sleep
        self._margin = margin
        self._private_interval = private_interval + margin
        self._overall = _Window(per_second, 1.0 + margin)
        self._private_last: dict[int, float] = {}
        self._private_order: deque[tuple[float, int]] = deque()
        self._groups: dict[int, _Window] = {}
        self._group_per_minute = group_per_minute
        self._spacing = 1.0 / per_second
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    @property
    def paused(self) -> bool:
        """True while a pause holds every send."""
        return self._paused_until > self._clock()

    def pause(self, seconds: float) -> None:
        """Hold every send for ``seconds`` from now (extending any pause under way)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def fresh(self, grant: float) -> bool:
        """Whether a grant is still good to use: no pause since, and under ``FRESH_GRANT`` old.

        A message must leave right after its grant: sent late, it would reach Telegram
        together with the messages granted after it, more than the ceiling in its window.
        A stale grant is withdrawn and a new one acquired.
        """
        return not self.paused and self._clock() - grant <= FRESH_GRANT

    def withdraw(self, chat_id: int, grant: float) -> None:
        """Forget a grant that was not used: it no longer counts, overall or for its chat."""
        self._overall.discard(grant)
        if chat_id < 0:
            window = self._groups.get(chat_id)
            if window is not None:
                window.discard(grant)
        elif self._private_last.get(chat_id) == grant:
            del self._private_last[chat_id]

    async def acquire(self, chat_id: int, *, reply: bool = False) -> float:
        """Wait until one message to ``chat_id`` may leave; count it as sent now, return now.

        ``reply`` is for the bot answering a member in their private chat: the overall
        ceiling applies, the one-per-second spacing of bulk sends to a chat does not (a
        short burst of replies to the person who just wrote is what Telegram tolerates).
        """
        if reply and chat_id > 0:
            async with self._lock:
                while (wait := self._overall_wait(self._clock())) > 0:
                    await self._sleep(wait)
                now = self._clock()
                self._record_overall(now)
                return now
        while True:
            wait = self._chat_wait(chat_id, self._clock())
            if wait > 0:
                await self._sleep(wait)
                continue
            async with self._lock:
                while (wait := self._overall_wait(self._clock())) > 0:
                    await self._sleep(wait)
                now = self._clock()
                if self._chat_wait(chat_id, now) <= 0:
                    self._record(chat_id, now)
                    return now

    def _overall_wait(self, now: float) -> float:
        return max(self._paused_until - now, self._next_slot - now, self._overall.wait(now))

    def _chat_wait(self, chat_id: int, now: float) -> float:
        if chat_id < 0:
            window = self._groups.get(chat_id)
            return window.wait(now) if window else 0.0
        last = self._private_last.get(chat_id)
        return 0.0 if last is None else last + self._private_interval - now

    def _record_overall(self, now: float) -> None:
        self._overall.add(now)
        self._next_slot = max(self._next_slot, now - CATCH_UP) + self._spacing

    def _record(self, chat_id: int, now: float) -> None:
        self._record_overall(now)
        if chat_id < 0:
            if self._group_per_minute is not None:
                window = self._groups.get(chat_id)
                if window is None:
                    window = _Window(self._group_per_minute, 60.0 + self._margin)
                    self._groups[chat_id] = window
                window.add(now)
            return
        self._private_last[chat_id] = now
        self._private_order.append((now, chat_id))
        self._forget_idle_chats(now)

    def _forget_idle_chats(self, now: float) -> None:
        """Drop private chats whose last send no longer constrains anything."""
        horizon = now - self._private_interval
        order = self._private_order
        while order and order[0][0] < horizon:
            stamp, chat_id = order.popleft()
            if self._private_last.get(chat_id) == stamp:
                del self._private_last[chat_id]
