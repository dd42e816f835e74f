"""The vocabulary of newsletters and reminders: kinds, drafts, facts, compositions, refusals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.segments import Segment

MAX_REMINDER_LENGTH = 1000
"""A reminder is short: at most this many visible characters typed by the animator."""
MAX_LETTER_LENGTH = 20_000
"""A newsletter's typed text, all messages together (about five Telegram messages)."""


class BroadcastKind(StrEnum):
    """What an animator broadcasts; the kind is also the delivery category members refuse."""

    NEWSLETTER = "newsletter"
    REMINDER = "reminder"

    @property
    def category(self) -> str:
        """The delivery category (one opt-out per kind)."""
        return self.value

    @property
    def max_length(self) -> int:
        """How much text the animator may type for one broadcast."""
        return MAX_LETTER_LENGTH if self is BroadcastKind.NEWSLETTER else MAX_REMINDER_LENGTH


class NewsletterError(ValueError):
    """A request was refused; ``code`` names the reason in the catalogs, ``details`` fill it."""

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class BroadcastDraft:
    """What an animator is preparing: their text (Telegram HTML), audience and urgency."""

    user_id: int
    kind: BroadcastKind
    body: str = ""
    segment: Segment = field(default_factory=Segment)
    urgent: bool = False


@dataclass(frozen=True)
class EventFact:
    """An upcoming session members can attend."""

    title: str
    starts_at: datetime


@dataclass(frozen=True)
class OpenVoteFact:
    """A vote members can still take part in: the session it is for, and when it closes."""

    starts_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class VoteFact:
    """A closed vote: the topic chosen, by how many voters, for which session."""

    title: str
    voters: int
    starts_at: datetime


@dataclass(frozen=True)
class NewMemberFact:
    """A member who joined since the last newsletter."""

    name: str
    organisation: str | None
    territory: str | None


@dataclass(frozen=True)
class CodevFact:
    """Co-development activity, in counts only (the groups' content is confidential)."""

    groups: int
    members: int
    sessions_held: int


@dataclass(frozen=True)
class LetterFacts:
    """What the bot knows and a newsletter can tell, gathered when it is composed."""

    since: datetime | None = None
    events: tuple[EventFact, ...] = ()
    open_votes: tuple[OpenVoteFact, ...] = ()
    votes: tuple[VoteFact, ...] = ()
    new_members: tuple[NewMemberFact, ...] = ()
    new_members_total: int = 0
    codev: CodevFact | None = None


@dataclass(frozen=True)
class Composition:
    """A broadcast rendered in every language: the HTML parts each member gets, in order."""

    versions: Mapping[str, tuple[str, ...]]

    def parts(self, language: str) -> tuple[str, ...]:
        """The parts a member speaking ``language`` gets (the first language otherwise)."""
        return self.versions.get(language) or next(iter(self.versions.values()))

    @property
    def most_parts(self) -> int:
        """The largest number of messages any language needs."""
        return max(len(parts) for parts in self.versions.values())


@dataclass(frozen=True)
class BroadcastSend:
    """A newsletter or reminder handed to the delivery engine."""

    send_id: int
    kind: BroadcastKind
    author_id: int | None
    segment: Segment
    created_at: datetime
    reported_at: datetime | None
