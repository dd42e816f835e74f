"""What the cycle asks to be told, to whom: the domain decides, the scheduler renders and sends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.visio.model import Attendance, Satisfaction, Session, Tally, Topic


class NoticeKind(StrEnum):
    """The kinds of message the cycle sends."""

    CALL = "call"
    EMPTY = "empty"
    NO_TOPIC = "no_topic"
    BALLOT = "ballot"
    RESULT = "result"
    INVITATION = "invitation"
    REMINDER = "reminder"
    FEEDBACK = "feedback"
    REPORT = "report"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


ANIMATOR_NOTICES = frozenset({NoticeKind.EMPTY, NoticeKind.NO_TOPIC, NoticeKind.REPORT})
TIME_CRITICAL = frozenset({NoticeKind.REMINDER, NoticeKind.POSTPONED, NoticeKind.CANCELLED})
URGENT_WITHIN = timedelta(hours=3)
"""A reminder, postponement or cancellation this close to the start ignores quiet hours."""


@dataclass(frozen=True)
class Notice:
    """One message to send about ``session`` to the members in ``audience``.

    ``link`` is the session's own link or the network's fixed room; the other fields are
    filled for the kinds that need them (``satisfaction`` by the scheduler, which reads the
    satisfaction questionnaire's results).
    """

    kind: NoticeKind
    session: Session
    audience: tuple[int, ...]
    link: str | None = None
    ballot: tuple[Topic, ...] = ()
    tally: Tally | None = None
    backlog: int = 0
    attendance: Attendance | None = None
    satisfaction: Satisfaction | None = None
    previous_start: datetime | None = None
    urgent: bool = False
