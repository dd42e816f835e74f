"""The one source of the current time: aware UTC, injectable for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time in aware UTC."""

    def now(self) -> datetime:
        """Return the current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Return the current instant in UTC."""
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to (tests, demos)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """Return the frozen instant."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._now += delta

    def set(self, instant: datetime) -> None:
        """Jump to ``instant`` (aware)."""
        self._now = instant.astimezone(UTC)


def to_iso(instant: datetime) -> str:
    """Serialise an aware datetime as ISO 8601 UTC text for storage."""
    if instant.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    return instant.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(text: str) -> datetime:
    """Parse stored ISO 8601 text back into an aware UTC datetime."""
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"stored datetime without zone: {text!r}")
    return parsed.astimezone(UTC)
