"""What a send achieved: rows by state, duration and rate (rendering is the caller's job)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.delivery.model import DeliveryState, Send, SendStatus


@dataclass(frozen=True)
class SendReport:
    """The state of one send, read from its rows."""

    send_id: int
    kind: str
    category: str
    status: SendStatus
    counts: Mapping[DeliveryState, int]
    started_at: datetime | None
    finished_at: datetime | None
    next_due: datetime | None = None
    """When rows held back by ``not_before`` become due (None if none is)."""

    @classmethod
    def of(
        cls, send: Send, counts: Mapping[DeliveryState, int], next_due: datetime | None
    ) -> SendReport:
        """The report of ``send`` given its row counts."""
        return cls(
            send.id,
            send.kind,
            send.category,
            send.status,
            counts,
            send.started_at,
            send.finished_at,
            next_due,
        )

    @property
    def total(self) -> int:
        """Every recipient row."""
        return sum(self.counts.values())

    @property
    def duration(self) -> timedelta | None:
        """From the first start to the end, once the send is over."""
        if self.started_at is None or self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    @property
    def rate(self) -> float | None:
        """Recipients reached per second over the whole duration (None if too short to tell)."""
        duration = self.duration
        if duration is None or duration.total_seconds() <= 0:
            return None
        return self.counts.get(DeliveryState.SENT, 0) / duration.total_seconds()
