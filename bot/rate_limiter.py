"""The Application's rate limiter: the bot's replies share the delivery engine's pacers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.delivery.pacing import Pacer
from bot.delivery.transport_pacing import TransportPacers

logger = logging.getLogger(__name__)
JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
COUNTED_METHODS = ("send", "copymessage", "forwardmessage")


def _chat_id(data: dict[str, Any]) -> int | None:
    try:
        return int(data["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None


def _seconds(retry_after: int | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after


class PacedRateLimiter(BaseRateLimiter[int]):
    """One budget for Telegram's ceiling: replies and bulk sends draw from the same pacer.

    PTB's ``AIORateLimiter`` is a leaky bucket with its own budget: after an idle moment it
    lets a burst through that Telegram answers with 429, and it ignores what the delivery
    engine is sending at the same time. Here every new message waits for the shared
    sliding window (replies in a private chat skip the per-chat spacing of bulk sends), a
    429 pauses everything for ``retry_after`` and the request is tried again. Each
    messenger has its own budget (:class:`TransportPacers`): a reply to a Matrix member
    draws from the Matrix pacer, and a 429 pauses only the pacer of the chat it came from.
    """

    def __init__(self, pacers: Pacer | TransportPacers, max_retries: int = 3) -> None:
        self._pacers = pacers if isinstance(pacers, TransportPacers) else TransportPacers(pacers)
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up: the pacers belong to the delivery engine."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Wait for the pacer when the request creates a message; retry after a 429."""
        retries = rate_limit_args if rate_limit_args is not None else self._max_retries
        chat_id = _chat_id(data)
        counted = chat_id is not None and endpoint.lower().startswith(COUNTED_METHODS)
        pacer = self._pacers.telegram if chat_id is None else self._pacers.for_chat(chat_id)
        for attempt in range(retries + 1):
            if counted:
                assert chat_id is not None
                await pacer.acquire(chat_id, reply=True)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == retries:
                    raise
                seconds = _seconds(error.retry_after)
                logger.info("429 on %s: every send waits %.1f s", endpoint, seconds)
                pacer.pause(seconds)
                if not counted:
                    await asyncio.sleep(seconds)
        raise AssertionError("unreachable: the loop returns or raises")
