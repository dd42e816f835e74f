"""When each step of a session is due, from the settings (pure functions, wall-clock offsets)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.visio.model import (
    CHECK_BEFORE_VOTE,
    REPORT_AFTER,
    Session,
    SessionKind,
    SessionStatus,
    Step,
    VisioSettings,
    remind_step,
)
from bot.domain.visio.slot import occurrences, wall_shift

PLAN_AHEAD = 2
"""How many monthly sessions are kept planned ahead of their vote."""
HORIZON = timedelta(days=800)
AFTER_STEPS = ("remind_", Step.FEEDBACK.value, Step.REPORT.value)
"""Steps rebuilt when a session moves: reminders, feedback and report."""

StepTimes = list[tuple[str, datetime]]


def days_before(start: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The same local time ``days`` days before ``start``."""
    return wall_shift(start, zone, -timedelta(days=days))


def after_steps(
    starts: datetime, ends: datetime, reminders: tuple[int, ...], zone: ZoneInfo, after: datetime
) -> StepTimes:
    """Reminders due after ``after`` (wall-clock minutes before the start), feedback, report."""
    steps = [(remind_step(m), wall_shift(starts, zone, -timedelta(minutes=m))) for m in reminders]
    kept = [(name, due) for name, due in steps if due > after]
    return [*kept, (Step.FEEDBACK.value, ends), (Step.REPORT.value, ends + REPORT_AFTER)]


def monthly_session(
    starts: datetime, settings: VisioSettings, zone: ZoneInfo
) -> tuple[Session, StepTimes]:
    """A planned monthly session starting at ``starts`` and all its steps."""
    ends = starts + timedelta(minutes=settings.duration)
    call = days_before(starts, settings.proposal_days, zone)
    vote_open = days_before(starts, settings.vote_open_days, zone)
    vote_close = days_before(starts, settings.vote_close_days, zone)
    check = max(call, wall_shift(vote_open, zone, -CHECK_BEFORE_VOTE))
    session = Session(
        id=0,
        kind=SessionKind.MONTHLY,
        status=SessionStatus.PLANNED,
        starts_at=starts,
        ends_at=ends,
        vote_opens_at=vote_open,
        vote_closes_at=vote_close,
    )
    steps = [
        (Step.CALL.value, call),
        (Step.CHECK.value, check),
        (Step.VOTE_OPEN.value, vote_open),
        (Step.VOTE_CLOSE.value, vote_close),
        *after_steps(starts, ends, settings.reminders, zone, vote_close),
    ]
    return session, steps


def next_starts(settings: VisioSettings, zone: ZoneInfo, now: datetime) -> list[datetime]:
    """The next occurrences of the rule whose vote has not opened yet (at most PLAN_AHEAD)."""
    if settings.rule is None or settings.anchor is None:
        return []
    found = occurrences(settings.rule, settings.start, settings.anchor, zone, now, now + HORIZON)
    upcoming = [s for s in found if days_before(s, settings.vote_open_days, zone) > now]
    return upcoming[:PLAN_AHEAD]
