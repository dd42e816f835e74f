"""The vocabulary of diagnostic campaigns: campaigns, audiences, responses, answers, drafts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.domain.diagnostic.questionnaire import Question, Questionnaire, parse_questionnaire
from bot.domain.segments import Segment

LAST_MORNING = time(9, 0)


class CampaignStatus(StrEnum):
    """Where a campaign stands: scheduled → open → closed."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


class ReminderPlan(StrEnum):
    """When the members who have not finished are reminded, before the closing time."""

    NONE = "none"
    DAY_BEFORE = "1d"
    THREE_DAYS = "3d"
    THREE_DAYS_AND_MORNING = "3d_morning"


def reminder_times(
    plan: ReminderPlan, opens_at: datetime, closes_at: datetime, zone: ZoneInfo
) -> list[datetime]:
    """The reminder instants of ``plan`` that fall strictly inside the campaign, in order.

    "3 days before" keeps the closing's local time of day (across a daylight-saving
    change too); "the last morning" is 9:00 in the network's zone on the closing day (the
    day before when the campaign closes before 9:00).
    """
    local_close = closes_at.astimezone(zone)

    def days_before(days: int) -> datetime:
        # Wall-clock arithmetic in the zone: the same local time, even across a DST change.
        return (local_close - timedelta(days=days)).astimezone(closes_at.tzinfo)

    times: set[datetime] = set()
    if plan is ReminderPlan.DAY_BEFORE:
        times.add(days_before(1))
    if plan in (ReminderPlan.THREE_DAYS, ReminderPlan.THREE_DAYS_AND_MORNING):
        times.add(days_before(3))
    if plan is ReminderPlan.THREE_DAYS_AND_MORNING:
        morning = datetime.combine(local_close.date(), LAST_MORNING, tzinfo=zone)
        if morning >= local_close:
            morning = datetime.combine(
                local_close.date() - timedelta(days=1), LAST_MORNING, tzinfo=zone
            )
        times.add(morning.astimezone(closes_at.tzinfo))
    return sorted(t for t in times if opens_at < t < closes_at)


@lru_cache(maxsize=64)
def questionnaire_snapshot(source: str) -> Questionnaire:
    """The questionnaire a campaign froze at launch (parsed once per distinct text)."""
    return parse_questionnaire(source, "campaign snapshot")


@dataclass(frozen=True)
class Campaign:
    """One run of a questionnaire for an audience, between two instants."""

    id: int
    questionnaire: Questionnaire
    segment: Segment | None
    anonymous: bool
    opens_at: datetime
    closes_at: datetime
    reminder_plan: ReminderPlan
    previous_id: int | None
    wave: int
    threshold: int
    status: CampaignStatus
    invitation_send: int | None
    created_by: int | None
    created_at: datetime
    closed_at: datetime | None
    published_at: datetime | None

    def accepts_answers(self, now: datetime) -> bool:
        """True while members may answer and change their answers."""
        return self.status is CampaignStatus.OPEN and now < self.closes_at

    @property
    def size(self) -> int:
        """Number of questions."""
        return len(self.questionnaire.questions)

    def question_at(self, position: int) -> Question | None:
        """The question at ``position`` (0-based), None past the last one."""
        questions = self.questionnaire.questions
        return questions[position] if 0 <= position < len(questions) else None


@dataclass(frozen=True)
class CampaignRequest:
    """What a campaign should be: the public way to launch one (handlers, other features).

    The audience is ``members`` when given (explicit user ids), else ``segment`` resolved
    when the campaign opens.
    """

    questionnaire_id: str
    opens_at: datetime
    closes_at: datetime
    anonymous: bool = True
    segment: Segment = field(default_factory=Segment)
    members: tuple[int, ...] | None = None
    reminders: ReminderPlan = ReminderPlan.NONE
    previous_id: int | None = None
    created_by: int | None = None
    threshold: int | None = None
    """Fewest respondents before results show; None: the network's (``anonymity_threshold``)."""


@dataclass(frozen=True)
class Answer:
    """One stored answer: option ids, a free text, or "je ne sais pas"."""

    choice: tuple[str, ...] = ()
    text: str | None = None
    dont_know: bool = False


@dataclass(frozen=True)
class AnswerCount:
    """How many responses gave one answer (option ids, or "je ne sais pas") to a question."""

    question_id: str
    choice: tuple[str, ...]
    dont_know: bool
    count: int


@dataclass(frozen=True)
class Response:
    """A member's progress through a campaign and the answers given so far."""

    id: int
    campaign_id: int
    user_id: int | None
    pseudonym: str
    position: int
    completed_at: datetime | None
    answers: Mapping[str, Answer]

    @property
    def completed(self) -> bool:
        """True once the member went past the last question."""
        return self.completed_at is not None


@dataclass(frozen=True)
class ExportRow:
    """One response as exported: a pseudonym (and the member's profile if named), answers."""

    pseudonym: str
    name: str | None
    organisation: str | None
    territory: str | None
    completed_at: datetime | None
    answers: Mapping[str, Answer]


@dataclass(frozen=True)
class Participation:
    """How many members were invited, finished, and started without finishing."""

    invited: int
    completed: int
    in_progress: int

    @property
    def not_finished(self) -> int:
        """Invited members who have not finished."""
        return max(self.invited - self.completed, 0)

    @property
    def rate(self) -> float:
        """Share of invited members who finished (0 when nobody was invited)."""
        return self.completed / self.invited if self.invited else 0.0


@dataclass(frozen=True)
class CampaignDraft:
    """An animator's campaign being set up, kept across restarts until launched."""

    user_id: int
    questionnaire_id: str
    previous_id: int | None = None
    segment: Segment | None = None
    anonymous: bool | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    reminder_plan: ReminderPlan | None = None


class DiagnosticError(Exception):
    """A request was refused; ``code`` names the reason for the catalogs."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code = code
        self.details = details
