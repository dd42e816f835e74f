"""Monthly thematic video sessions ("visioservices"): topics proposed and voted, cycle run.

See ``cycle.py`` for the steps; nothing here imports ``telegram``.
"""

from bot.domain.visio.ballots import BallotService, PollAnswer
from bot.domain.visio.model import (
    Attendance,
    BallotView,
    HistoryEntry,
    Satisfaction,
    Session,
    SessionKind,
    SessionStatus,
    Tally,
    Topic,
    TopicStatus,
    VisioError,
    VisioSettings,
)
from bot.domain.visio.notices import ANIMATOR_NOTICES, Notice, NoticeKind
from bot.domain.visio.service import VisioService
from bot.domain.visio.topics import DuplicateTopic

__all__ = [
    "ANIMATOR_NOTICES",
    "Attendance",
    "BallotService",
    "BallotView",
    "DuplicateTopic",
    "HistoryEntry",
    "Notice",
    "NoticeKind",
    "PollAnswer",
    "Satisfaction",
    "Session",
    "SessionKind",
    "SessionStatus",
    "Tally",
    "Topic",
    "TopicStatus",
    "VisioError",
    "VisioService",
    "VisioSettings",
]
