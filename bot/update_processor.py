"""Concurrent update processing that keeps each chat's updates in order, and stops floods."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

logger = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 256
_PRUNE_ABOVE = 4096  # chats with a flood bucket before the full ones are forgotten

OnFlood = Callable[[Update, bool], Awaitable[None]]
AfterEach = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class FloodLimit:
    """How many messages and button presses of one member the bot takes in.

    A token bucket per member: ``burst`` at once, then ``per_second``. Telegram lets a bot
    send about one message per second in a chat; each update taken in costs about one
    reply, so the bucket keeps the bot's replies to a flooding member near that rate.
    """

    per_second: float = 1.0
    burst: int = 3
    enabled: bool = True

    @classmethod
    def off(cls) -> FloodLimit:
        """Every update is taken in."""
        return cls(enabled=False)

    @classmethod
    def scaled(cls, scale: float, burst: int = 3) -> FloodLimit:
        """``scale`` times Telegram's pace (tests drive members at machine speed)."""
        return cls(per_second=scale, burst=burst)


class _Bucket:
    __slots__ = ("stamp", "tokens", "warned")

    def __init__(self, now: float, burst: int) -> None:
        self.tokens = float(burst)
        self.stamp = now
        self.warned = False


def chat_key(update: object) -> int | None:
    """The chat an update belongs to (the user for chat-less updates such as poll answers)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


def _flood_key(update: object) -> int | None:
    """Whose bucket pays for ``update``: the member behind a message or a button press.

    Per member, not per chat: in a group, members pressing the same button at once are
    not a flood (the pacer keeps the bot's sends under the group's own limit). Poll
    answers and membership changes are facts, never answered with a message: they are
    always taken in.
    """
    if not isinstance(update, Update) or (update.message is None and update.callback_query is None):
        return None
    user = update.effective_user
    return user.id if user is not None else chat_key(update)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Members are served concurrently; one member's taps and messages run one at a time.

    python-telegram-bot's ``SimpleUpdateProcessor`` would let two presses of the same
    member race through a conversation; processing everything sequentially would make
    every member wait behind the slowest. A FIFO lock per chat gives both: order within a
    chat, concurrency across chats.

    **Floods are dropped here, at arrival, before they queue.** A member who sends 30
    messages or taps in two seconds would otherwise get 30 replies in their chat, beyond
    Telegram's per-chat rate: the resulting 429s pause every send of the bot (the pacer
    is shared), so one member would slow everybody down. Delaying instead of dropping
    would only move the problem (a backlog answered for minutes, one reply a second).
    So each member's messages and presses draw from a :class:`FloodLimit` bucket; beyond
    it, an update is not processed and ``on_flood(update, first)`` tells the member: at
    once for every dropped button press (so the member's spinner stops), and for the
    first message dropped since the bucket was last full (``first``), after the replies
    under way in that chat: the member is told once, in their language, that messages
    sent too fast are ignored and should be sent again, so a typed answer is never lost
    without a word. Other members have their own buckets and are served normally. The
    drop happens before the per-chat lock, so a flood never builds a queue behind the
    update being processed. Without ``flood``, nothing is dropped (``bot.app`` passes
    Telegram's pace).

    **A chat's conversation state is saved before its next update runs.** python-telegram-bot
    writes conversation states to the persistence every ``update_interval`` (1 s); a
    ``kill -9`` in between would resume a member from an older state than the replies they
    saw. ``after_each`` (``Application.update_persistence``, which writes only the states
    that changed) runs after each update of a chat, inside the chat's turn.
    """

    def __init__(
        self,
        max_concurrent_updates: int = DEFAULT_CONCURRENCY,
        flood: FloodLimit | None = None,
        on_flood: OnFlood | None = None,
        clock: Callable[[], float] = time.monotonic,
        after_each: AfterEach | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}
        self.flood = flood or FloodLimit.off()
        self.on_flood = on_flood
        self.after_each = after_each
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self.dropped = 0

    def _admit(self, key: int) -> tuple[bool, bool]:
        """(take it in, first drop since the bucket was full) for one update of ``key``."""
        limit = self.flood
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _PRUNE_ABOVE:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(now, limit.burst)
        else:
            bucket.tokens = min(
                float(limit.burst), bucket.tokens + (now - bucket.stamp) * limit.per_second
            )
            bucket.stamp = now
            if bucket.tokens >= limit.burst:
                bucket.warned = False
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return True, False
        first = not bucket.warned
        bucket.warned = True
        return False, first

    def _prune(self, now: float) -> None:
        """Forget the buckets that are full again (their chats went quiet)."""
        limit = self.flood
        refill = limit.burst / limit.per_second
        for key in [k for k, b in self._buckets.items() if now - b.stamp >= refill]:
            del self._buckets[key]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run ``coroutine`` after the earlier updates of the same chat, unless it floods."""
        flood_key = _flood_key(update) if self.flood.enabled else None
        if flood_key is not None:
            admitted, first = self._admit(flood_key)
            if not admitted:
                assert isinstance(update, Update)
                if asyncio.iscoroutine(coroutine):
                    coroutine.close()  # never run: the update is dropped
                self.dropped += 1
                logger.info("chat %s floods: update %s dropped", flood_key, update.update_id)
                if self.on_flood is None:
                    return
                if update.callback_query is not None:
                    await self.on_flood(update, first)  # at once: the spinner stops
                elif first and (chat := chat_key(update)) is not None:
                    # told once, after the replies under way in the chat
                    await self._in_order(chat, self.on_flood(update, first))
                return
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        await self._in_order(key, coroutine)

    async def _in_order(self, key: int, coroutine: Awaitable[Any]) -> None:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                try:
                    await coroutine
                finally:
                    if self.after_each is not None:
                        await self.after_each()
        finally:
            self._holders[key] -= 1
            if not self._holders[key]:
                del self._holders[key], self._locks[key]

    @property
    def chats_in_progress(self) -> int:
        """How many chats have an update being processed or waiting."""
        return len(self._locks)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
