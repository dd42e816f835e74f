"""The vocabulary of the monthly video sessions ("visioservices"): settings, sessions, topics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

MAX_TITLE = 100
MAX_DESCRIPTION = 1000
MAX_REASON = 300
MAX_BALLOT = 12
"""A ballot holds at most 12 topics: the most a Telegram poll can mirror."""
MAX_DAYS = 90
MAX_REMINDERS = 5
CHECK_BEFORE_VOTE = timedelta(days=2)
"""The animators are warned this long before the vote opens when no topic is waiting."""
REPORT_AFTER = timedelta(days=3)
"""The feedback summary goes to the animators this long after the session ends."""


class SessionKind(StrEnum):
    """A session of the monthly cycle, or one an animator created by hand."""

    MONTHLY = "monthly"
    ONEOFF = "oneoff"


class SessionStatus(StrEnum):
    """Where a session stands in its cycle."""

    PLANNED = "planned"
    VOTING = "voting"
    SCHEDULED = "scheduled"
    NO_TOPIC = "no_topic"
    CANCELLED = "cancelled"


class TopicStatus(StrEnum):
    """Where a proposed topic stands: in the backlog, chosen, or set aside."""

    OPEN = "open"
    CHOSEN = "chosen"
    REJECTED = "rejected"
    MERGED = "merged"


class Step(StrEnum):
    """The timed steps of a session; reminders are ``remind_<minutes before>``."""

    CALL = "call"
    CHECK = "check"
    VOTE_OPEN = "vote_open"
    VOTE_CLOSE = "vote_close"
    FEEDBACK = "feedback"
    REPORT = "report"


REMIND_PREFIX = "remind_"


def remind_step(minutes: int) -> str:
    """The step name of the reminder sent ``minutes`` before the start."""
    return f"{REMIND_PREFIX}{minutes}"


class VisioError(ValueError):
    """A request was refused; ``code`` names the reason in the catalogs, ``params`` fill it."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class VisioSettings:
    """How the network runs its sessions (one row, edited by the animators)."""

    rule: str | None = None
    start: time = time(14, 0)
    duration: int = 120
    anchor: date | None = None
    link: str | None = None
    proposal_days: int = 21
    vote_open_days: int = 14
    vote_close_days: int = 7
    reminders: tuple[int, ...] = (7 * 24 * 60, 24 * 60, 60)
    group_chat_id: int | None = None


@dataclass(frozen=True)
class Topic:
    """A topic proposed by a member (the author is None once they erased their data)."""

    id: int
    title: str
    description: str
    author_id: int | None
    status: TopicStatus
    created_at: datetime
    merged_into: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Session:
    """One video session: its times, topic, link and the state of its vote."""

    id: int
    kind: SessionKind
    status: SessionStatus
    starts_at: datetime
    ends_at: datetime
    title: str | None = None
    description: str = ""
    topic_id: int | None = None
    link: str | None = None
    sequence: int = 0
    vote_opens_at: datetime | None = None
    vote_closes_at: datetime | None = None
    voters: int | None = None
    poll_chat_id: int | None = None
    poll_message_id: int | None = None
    poll_id: str | None = None
    poll_open: bool = False
    feedback_campaign: int | None = None

    @property
    def is_live(self) -> bool:
        """False once cancelled or left without a topic."""
        return self.status not in (SessionStatus.CANCELLED, SessionStatus.NO_TOPIC)


@dataclass(frozen=True)
class DueStep:
    """A step of a session that has not run yet."""

    session_id: int
    name: str
    due_at: datetime


@dataclass(frozen=True)
class TopicCount:
    """A topic of a closed ballot and its approvals."""

    topic: Topic
    votes: int


@dataclass(frozen=True)
class Tally:
    """The result of a ballot: topics by rank, the winner and whether a tie was broken."""

    ranking: tuple[TopicCount, ...]
    voters: int
    tie: bool

    @property
    def winner(self) -> Topic:
        """The topic ranked first."""
        return self.ranking[0].topic


@dataclass(frozen=True)
class Attendance:
    """RSVPs and declared attendance of one session, without names."""

    yes: int = 0
    no: int = 0
    attended: int = 0


@dataclass(frozen=True)
class Satisfaction:
    """What the satisfaction questionnaire after a session shows (nothing below k answers)."""

    respondents: int
    threshold: int
    mean: float | None = None
    comments: tuple[str, ...] = ()

    @property
    def visible(self) -> bool:
        """True once at least ``threshold`` members answered."""
        return self.respondents >= self.threshold


@dataclass(frozen=True)
class HistoryEntry:
    """One session of the year with its figures."""

    session: Session
    attendance: Attendance
    satisfaction: Satisfaction | None = None


@dataclass(frozen=True)
class BallotView:
    """A member's ballot: the topics offered and the ones they ticked."""

    session: Session
    options: tuple[Topic, ...]
    ticked: frozenset[int] = field(default_factory=frozenset)
