"""What the engine needs from a messenger: send one message, and say precisely how it failed."""

from __future__ import annotations

from typing import Protocol

from bot.delivery.model import Keyboard


class SendError(Exception):
    """Base of the outcomes a sender reports instead of a message id."""


class RetryLater(SendError):
    """Flood control (429): nothing was sent; every send must pause for ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds:g} s")
        self.seconds = seconds


class Blocked(SendError):
    """The chat refuses the bot for good (403: blocked, deactivated, kicked)."""


class NotSentRetryable(SendError):
    """A network failure before the request left (connection refused, pool exhausted)."""


class MaybeSent(SendError):
    """The request may have reached the messenger (timeout, reset): never resent automatically."""


class Failed(SendError):
    """The messenger refused the message (400 and other definite errors); nothing was sent."""


class Sender(Protocol):
    """A messenger the engine delivers through (Telegram in production, fakes in tests)."""

    async def open(self) -> None:
        """Acquire connections and check credentials."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...

    async def send(self, chat_id: int, text: str, keyboard: Keyboard | None) -> int:
        """Send one HTML message (no link preview) and return its message id, or raise."""
        ...

    async def send_document(
        self, chat_id: int, filename: str, data: bytes, caption: str | None
    ) -> int:
        """Send one document with an optional HTML caption; return its message id, or raise."""
        ...
