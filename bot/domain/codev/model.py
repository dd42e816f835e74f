"""Co-development groups (Payette & Champagne): the vocabulary, limits and text checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

MIN_SIZE = 4
MAX_SIZE = 8
DEFAULT_SIZE = 8
STEPS: tuple[str, ...] = (
    "presentation",
    "questions",
    "contract",
    "consultation",
    "synthesis",
    "learnings",
)
DEFAULT_STEP_MINUTES: tuple[int, ...] = (10, 15, 5, 25, 10, 10)
MAX_STEP_MINUTES = 120
SYNTHESIS_STEP = STEPS.index("synthesis") + 1
LEARNINGS_STEP = STEPS.index("learnings") + 1
SESSION_DURATION = timedelta(minutes=120)
FARTHEST_DATE = timedelta(days=400)

NAME_MAX = 80
THEME_MAX = 200
DETAIL_MAX = 300
CHARTER_MAX = 2000
CASE_MAX = 1000
ACTION_MAX = 200
MAX_ACTIONS = 5
LEARNING_MAX = 500
NOTE_MAX = 300
MIN_DATE_OPTIONS = 2
MAX_DATE_OPTIONS = 5

INVITE_VALIDITY = timedelta(days=14)
CODE_WINDOW = timedelta(minutes=15)
MAX_WRONG_CODES = 5
OFFER_VALIDITY = timedelta(hours=48)
DEFAULT_FOLLOWUP_WEEKS = 4
FOLLOWUP_BEFORE_NEXT = timedelta(days=1)
REMINDERS: tuple[tuple[str, timedelta], ...] = (
    ("day", timedelta(days=1)),
    ("hour", timedelta(hours=1)),
)


class MeetingMode(StrEnum):
    """Where the group meets."""

    VIDEO = "video"
    PLACE = "place"


class SeatStatus(StrEnum):
    """A person's place in a group: a seat, a seat offered, or the waiting list."""

    MEMBER = "member"
    OFFERED = "offered"
    WAITING = "waiting"


class Relation(StrEnum):
    """What a person is to one group, from the most to the least access."""

    FACILITATOR = "facilitator"
    MEMBER = "member"
    OUTSIDER = "outsider"


class SessionStatus(StrEnum):
    """Where a session stands, from the client's request to the end."""

    REQUESTED = "requested"
    POLLING = "polling"
    SCHEDULED = "scheduled"
    RUNNING = "running"
    HELD = "held"
    DECLINED = "declined"


OPEN_STATUSES = frozenset(
    {SessionStatus.REQUESTED, SessionStatus.POLLING, SessionStatus.SCHEDULED, SessionStatus.RUNNING}
)


SCHEDULABLE = frozenset({SessionStatus.REQUESTED, SessionStatus.POLLING, SessionStatus.SCHEDULED})
PLANNABLE = frozenset({SessionStatus.REQUESTED, SessionStatus.POLLING})


class GuideMode(StrEnum):
    """Where the bot announces the six steps."""

    CHAT = "chat"
    PRIVATE = "private"


class Rsvp(StrEnum):
    """A member's answer to an invitation."""

    YES = "yes"
    NO = "no"


class ActionStatus(StrEnum):
    """How a commitment went, as the client says at follow-up."""

    DONE = "done"
    DOING = "doing"
    DROPPED = "dropped"


class CodevError(Exception):
    """A refused request; ``code`` names the reason in the catalogs (``codev.error.<code>``)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class CodevDenied(CodevError):
    """The person may not see or do this; the same answer whether the target exists or not."""

    def __init__(self) -> None:
        super().__init__("denied")


@dataclass(frozen=True)
class Group:
    """A lasting peer group with its facilitator, rules and optional Telegram group chat."""

    id: int
    name: str
    theme: str
    size_limit: int
    mode: MeetingMode
    detail: str
    charter: str
    facilitator_id: int | None
    chat_id: int | None
    step_minutes: tuple[int, ...]
    followup_weeks: int
    created_at: datetime


@dataclass(frozen=True)
class GroupDraft:
    """What a facilitator typed to create a group, already checked."""

    name: str
    theme: str
    size_limit: int
    mode: MeetingMode
    detail: str
    charter: str


@dataclass(frozen=True)
class Seat:
    """One person's place in a group."""

    group_id: int
    user_id: int
    status: SeatStatus
    since: datetime


@dataclass(frozen=True)
class Entry:
    """A way into a group not taken yet: an invitation used, or a request (approved or not)."""

    group_id: int
    user_id: int
    invite_id: int | None
    requested_at: datetime
    approved_at: datetime | None

    @property
    def ready(self) -> bool:
        """True when only the charter is left to accept."""
        return self.invite_id is not None or self.approved_at is not None


@dataclass(frozen=True)
class Invite:
    """An invitation link of a group (only a hash of its code is kept)."""

    id: int
    group_id: int
    expires_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class Session:
    """One meeting treating one client's case, from request to follow-up."""

    id: int
    group_id: int
    client_id: int | None
    case: str
    status: SessionStatus
    requested_at: datetime
    starts_at: datetime | None
    link: str | None
    sequence: int
    guide_mode: GuideMode | None
    step: int
    step_started_at: datetime | None
    step_minutes: tuple[int, ...]
    held_at: datetime | None
    plan_recorded_at: datetime | None
    followup_due_at: datetime | None
    followup_done_at: datetime | None

    @property
    def ends_at(self) -> datetime | None:
        """When the meeting is expected to end."""
        return self.starts_at + SESSION_DURATION if self.starts_at else None

    @property
    def step_ends_at(self) -> datetime | None:
        """When the current step's time box is over (None outside the guided steps)."""
        if self.step_started_at is None or not 1 <= self.step <= len(self.step_minutes):
            return None
        return self.step_started_at + timedelta(minutes=self.step_minutes[self.step - 1])


@dataclass(frozen=True)
class DateOption:
    """One date offered in a quick time poll, with the members it suits."""

    number: int
    starts_at: datetime
    voters: frozenset[int]


@dataclass(frozen=True)
class Action:
    """One commitment of an action plan and, later, how it went."""

    id: int
    session_id: int
    position: int
    text: str
    due_on: date | None
    status: ActionStatus | None
    note: str | None


@dataclass(frozen=True)
class Learning:
    """What one participant learned in a session."""

    session_id: int
    user_id: int
    text: str


@dataclass(frozen=True)
class GroupStats:
    """What animators may know of a group: counts, never content."""

    group_id: int
    name: str
    has_facilitator: bool
    members: int
    waiting: int
    sessions_held: int
    attendance: int


def clean_text(text: str | None, limit: int, *, one_paragraph: bool = True) -> str:
    """Normalise a typed text (one paragraph by default) or raise ``empty``/``too_long``."""
    value = " ".join((text or "").split()) if one_paragraph else (text or "").strip()
    if not value:
        raise CodevError("empty")
    if len(value) > limit:
        raise CodevError("too_long", limit=limit, length=len(value))
    return value


def parse_step_minutes(text: str | None) -> tuple[int, ...]:
    """Six time boxes in minutes, e.g. ``10 15 5 25 10 10`` (commas or slashes allowed)."""
    words = (text or "").replace(",", " ").replace("/", " ").split()
    if len(words) != len(STEPS) or not all(w.isdigit() for w in words):
        raise CodevError("step_minutes", n=len(STEPS), limit=MAX_STEP_MINUTES)
    minutes = tuple(int(w) for w in words)
    if not all(1 <= m <= MAX_STEP_MINUTES for m in minutes):
        raise CodevError("step_minutes", n=len(STEPS), limit=MAX_STEP_MINUTES)
    return minutes


def format_step_minutes(minutes: tuple[int, ...]) -> str:
    """``10/15/5/25/10/10``."""
    return "/".join(str(m) for m in minutes)
