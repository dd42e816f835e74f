"""Session rows of co-development: the columns read, and a row turned into a ``Session``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from bot.clock import from_iso
from bot.domain.codev.model import GuideMode, Session, SessionStatus
from bot.storage.codev.groups import minutes_of

SESSION_COLUMNS = (
    "id, group_id, client_id, case_text, status, requested_at, starts_at, link, sequence,"
    " guide_mode, step, step_started_at, step_minutes, held_at, plan_recorded_at,"
    " followup_due_at, followup_done_at"
)


def _optional_time(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


def session_of(row: aiosqlite.Row) -> Session:
    """The session a ``SESSION_COLUMNS`` row describes."""
    return Session(
        id=row["id"],
        group_id=row["group_id"],
        client_id=row["client_id"],
        case=row["case_text"],
        status=SessionStatus(row["status"]),
        requested_at=from_iso(row["requested_at"]),
        starts_at=_optional_time(row["starts_at"]),
        link=row["link"],
        sequence=row["sequence"],
        guide_mode=GuideMode(row["guide_mode"]) if row["guide_mode"] else None,
        step=row["step"],
        step_started_at=_optional_time(row["step_started_at"]),
        step_minutes=minutes_of(row["step_minutes"]),
        held_at=_optional_time(row["held_at"]),
        plan_recorded_at=_optional_time(row["plan_recorded_at"]),
        followup_due_at=_optional_time(row["followup_due_at"]),
        followup_done_at=_optional_time(row["followup_done_at"]),
    )


def status_list(statuses: Sequence[SessionStatus]) -> str:
    """The statuses as an SQL list for ``IN (...)`` (enum values, never user text)."""
    return ", ".join(f"'{s.value}'" for s in statuses)
