"""The vocabulary of the delivery engine: states, content, sends, rows and outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.delivery.content import check_attachment, check_message

Keyboard = dict[str, Any]
"""An inline keyboard as the Bot API spells it: ``{"inline_keyboard": [[{...}, ...], ...]}``."""


class DeliveryState(StrEnum):
    """Where one recipient's message stands: pending → sending → a final state."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"
    UNKNOWN = "unknown"


RESENDABLE = frozenset({DeliveryState.FAILED, DeliveryState.UNKNOWN, DeliveryState.BLOCKED})


class SendStatus(StrEnum):
    """Where a whole send stands."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Attachment:
    """A document sent after a message's text parts, with an optional HTML caption."""

    filename: str
    data: bytes
    caption: str | None = None

    def __post_init__(self) -> None:
        check_attachment(self.filename, self.data, self.caption)


@dataclass(frozen=True)
class Message:
    """What the recipients of one language get: HTML parts in order, a keyboard under the last.

    An attachment goes out as one more part after the text parts (the keyboard stays on the
    last text part).
    """

    parts: tuple[str, ...]
    keyboard: Keyboard | None = None
    attachment: Attachment | None = None

    def __post_init__(self) -> None:
        check_message(self.parts, self.keyboard)

    @property
    def part_count(self) -> int:
        """How many requests deliver the message: its text parts, plus its attachment."""
        return len(self.parts) + (self.attachment is not None)


@dataclass(frozen=True)
class Content:
    """A message per language; the first language serves members whose language is missing."""

    messages: Mapping[str, Message]

    def __post_init__(self) -> None:
        if not self.messages:
            raise ValueError("content needs at least one language")

    @property
    def default_language(self) -> str:
        """The language used for members whose own language has no version."""
        return next(iter(self.messages))

    def for_language(self, language: str) -> Message:
        """The version a member speaking ``language`` receives."""
        return self.messages.get(language) or self.messages[self.default_language]


@dataclass(frozen=True)
class Draft:
    """A send as its author describes it, before recipients are written."""

    kind: str
    category: str
    content: Content
    created_by: int | None = None
    due_at: datetime | None = None
    urgent: bool = False
    key: str | None = None
    """An idempotency key: a second send with the same key is the first one, not a new one."""


@dataclass(frozen=True)
class Recipient:
    """A chat addressed directly (a group, a chat that is not a member's).

    ``not_before`` is the hook for quiet hours: the row is not sent before that instant.
    """

    chat_id: int
    language: str
    user_id: int | None = None
    not_before: datetime | None = None


@dataclass(frozen=True)
class Audience:
    """Who a send would reach among the members asked for, and why the others are left out."""

    eligible: int
    skipped: Mapping[str, int] = field(default_factory=dict)
    deferred: int = 0
    """Of the eligible, how many wait for the end of their quiet hours (once created)."""


@dataclass(frozen=True)
class Send:
    """A stored send."""

    id: int
    kind: str
    category: str
    created_by: int | None
    created_at: datetime
    due_at: datetime
    status: SendStatus
    started_at: datetime | None
    finished_at: datetime | None
    urgent: bool
    content: Content


@dataclass(frozen=True)
class PendingDelivery:
    """A row about to be delivered; ``message_ids`` lists the parts already out."""

    id: int
    chat_id: int
    user_id: int | None
    language: str
    attempts: int
    message_ids: tuple[int, ...]


@dataclass(frozen=True)
class Outcome:
    """What became of one row, to be committed."""

    delivery_id: int
    state: DeliveryState
    attempts: int
    message_ids: tuple[int, ...]
    at: datetime
    error: str | None = None
