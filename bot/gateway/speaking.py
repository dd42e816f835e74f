"""Answers go where the member speaks: a linked member's latest messenger wins for a while.

A member with a Telegram and a Matrix account receives the bot's messages on the messenger
they chose (``Addressing.route_of``). But an answer to what they just typed, or the next
question of a conversation they are having, must reach the messenger they typed it on, or
a member who chose Tchap and writes from Telegram would see the answer land elsewhere. So
the router notes who spoke where (:meth:`WhereTheySpeak.heard`) and, for ``window``
seconds after, sends to that account; then their choice applies again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.transports import Addressing, Transport

REPLY_WINDOW = 600.0
"""Seconds after a member's last update during which the bot answers on that messenger."""


class WhereTheySpeak:
    """An ``Addressing`` that sends to the account a member last spoke from, for a while."""

    def __init__(
        self,
        chosen: Addressing,
        *,
        window: float = REPLY_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.chosen = chosen
        self._window = window
        self._clock = clock
        self._last: dict[int, tuple[float, Transport, int]] = {}

    def heard(self, member_id: int, transport: Transport, account: int) -> None:
        """``member_id`` just wrote from ``account`` on ``transport``."""
        self._last[member_id] = (self._clock(), transport, account)

    def member_of(self, user_id: int) -> int:
        """The member an incoming id acts as (the chosen addressing decides)."""
        return self.chosen.member_of(user_id)

    def route_of(self, chat_id: int) -> tuple[Transport, int]:
        """The account the member spoke from within the window, else their chosen one."""
        last = self._last.get(chat_id)
        if last is not None:
            at, transport, account = last
            if self._clock() - at <= self._window:
                return transport, account
            del self._last[chat_id]
        return self.chosen.route_of(chat_id)
