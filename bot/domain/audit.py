"""The audit journal for the animators and the data protection officer: a spreadsheet export.

Every audited decision (privileged actions and refusals) over a period, one row each: when
(in the network's zone), who acted (id and current name while they are registered), what,
allowed or refused, whom it was about, and the detail. Erased people appear without an id
(their links were cleared). Same file format as the diagnostic exports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from bot.clock import Clock
from bot.domain.diagnostic.export import csv_bytes
from bot.domain.membership import MembershipService
from bot.storage.audit import AuditEntry, AuditStore

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4})")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Period(StrEnum):
    """The periods offered as buttons."""

    WEEK = "7d"
    MONTH = "30d"
    YEAR = "12m"
    ALL = "all"


class JournalRangeError(ValueError):
    """A typed range the journal cannot use; ``code`` names the catalog message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Span:
    """From ``start`` (included) to ``end`` (excluded); None: unbounded."""

    start: datetime | None
    end: datetime | None
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True)
class JournalLabels:
    """Column titles and the two decisions, in the reader's language."""

    at: str
    member_id: str
    member: str
    action: str
    decision: str
    target_id: str
    target: str
    detail: str
    allowed: str
    refused: str


@dataclass(frozen=True)
class JournalRow:
    """One audited decision with the current names of the people involved."""

    entry: AuditEntry
    actor_name: str
    target_name: str


def parse_span(text: str, zone: ZoneInfo) -> Span:
    """A typed range of days, ``2026-11-01 2026-11-30`` or ``01/11/2026 30/11/2026``.

    One date means that day. The days are the network's (``zone``), both included.
    Codes: ``unparseable``, ``reversed``.
    """
    days: list[date] = []
    for match in _DATE.finditer(text):
        year, month, day = (
            (match[1], match[2], match[3]) if match[1] else (match[6], match[5], match[4])
        )
        try:
            days.append(date(int(year), int(month), int(day)))
        except ValueError:
            raise JournalRangeError("unparseable") from None
    leftover = _DATE.sub(" ", text).replace("au", " ").replace("to", " ").strip(" -–—")
    if not days or len(days) > 2 or leftover.strip():
        raise JournalRangeError("unparseable")
    first, last = days[0], days[-1]
    if last < first:
        raise JournalRangeError("reversed")
    return Span(
        datetime.combine(first, time(), zone),
        datetime.combine(last + timedelta(days=1), time(), zone),
        first,
        last,
    )


def period_span(period: Period, now: datetime) -> Span:
    """The last 7 days, 30 days, 12 months (up to now), or everything."""
    if period is Period.ALL:
        return Span(None, None)
    start = {
        Period.WEEK: now - timedelta(days=7),
        Period.MONTH: now - timedelta(days=30),
        Period.YEAR: now - relativedelta(months=12),
    }[period]
    return Span(start, None)


def safe_cell(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (names are typed by members)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def journal_csv(rows: list[JournalRow], labels: JournalLabels, zone: ZoneInfo) -> bytes:
    """The journal as a spreadsheet (UTF-8 with BOM, ``;``), oldest first."""
    table = [
        [
            labels.at,
            labels.member_id,
            labels.member,
            labels.action,
            labels.decision,
            labels.target_id,
            labels.target,
            labels.detail,
        ]
    ]
    for row in rows:
        entry = row.entry
        table.append(
            [
                entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                "" if entry.user_id is None else str(entry.user_id),
                safe_cell(row.actor_name),
                safe_cell(entry.action),
                labels.allowed if entry.allowed else labels.refused,
                "" if entry.target_id is None else str(entry.target_id),
                safe_cell(row.target_name),
                safe_cell(entry.detail),
            ]
        )
    return csv_bytes(table)


class AuditJournal:
    """Reads the audit log over a period, with the current names of the people in it."""

    def __init__(
        self, store: AuditStore, members: MembershipService, clock: Clock, zone: ZoneInfo
    ) -> None:
        self._store = store
        self._members = members
        self._clock = clock
        self._zone = zone

    def span(self, period: Period) -> Span:
        """The period up to now."""
        return period_span(period, self._clock.now())

    def typed_span(self, text: str) -> Span:
        """A range of days typed by an animator, in the network's zone."""
        return parse_span(text, self._zone)

    async def rows(self, span: Span) -> list[JournalRow]:
        """The entries of the span, oldest first, with names (registered members only)."""
        names: dict[int, str] = {}

        async def name(user_id: int | None) -> str:
            if user_id is None:
                return ""
            if user_id not in names:
                member = await self._members.get(user_id)
                registered = member is not None and member.is_registered
                names[user_id] = (member.display_name or "") if registered and member else ""
            return names[user_id]

        return [
            JournalRow(entry, await name(entry.user_id), await name(entry.target_id))
            for entry in await self._store.between(span.start, span.end)
        ]

    async def export(self, span: Span, labels: JournalLabels) -> tuple[int, bytes]:
        """How many entries, and the spreadsheet."""
        rows = await self.rows(span)
        return len(rows), journal_csv(rows, labels, self._zone)
