"""The recurring slot: an RFC 5545 rule read in the network's zone, and wall-clock arithmetic.

Occurrences are computed in local wall time (``FREQ=MONTHLY;BYDAY=2TU`` at 14:00 stays at
14:00 in Paris in winter and in summer) and converted to UTC for storage. Offsets such as
"one day before" are also taken in wall time, so a reminder the day before a session that
falls on the day the clocks change still comes at the same local hour.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from bot.domain.visio.model import VisioError

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = (1, 2, 3, 4, -1)
_PRESET = re.compile(r"^FREQ=MONTHLY;BYDAY=(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$")
_ALLOWED_FREQ = ("MONTHLY", "WEEKLY")
_MAX_RULE = 200
_MIN_GAP = timedelta(days=7)
DEFAULT_DURATION = 120


def preset_rule(ordinal: int, weekday: str) -> str:
    """The rule of "the ``ordinal``-th ``weekday`` of the month" (-1: the last one)."""
    if ordinal not in ORDINALS or weekday not in WEEKDAYS:
        raise VisioError("bad_rule")
    return f"FREQ=MONTHLY;BYDAY={ordinal}{weekday}"


def preset_of(rule: str) -> tuple[int, str] | None:
    """(ordinal, weekday) if ``rule`` is one of the presets, else None."""
    match = _PRESET.match(rule)
    return (int(match.group(1)), match.group(2)) if match else None


def _build(rule: str, start: time, anchor: date) -> rrule:
    built = rrulestr(rule, dtstart=datetime.combine(anchor, start))
    if not isinstance(built, rrule):
        raise VisioError("bad_rule")
    return built


def clean_rule(text: str, start: time, anchor: date) -> str:
    """A typed rule, normalised and checked: monthly or weekly, a week apart at least."""
    rule = text.strip().upper().removeprefix("RRULE:").strip().rstrip(";")
    if not rule or len(rule) > _MAX_RULE or "DTSTART" in rule or "\n" in rule:
        raise VisioError("bad_rule")
    parts = dict(part.partition("=")[::2] for part in rule.split(";"))
    if parts.get("FREQ") not in _ALLOWED_FREQ:
        raise VisioError("bad_rule")
    try:
        built = _build(rule, start, anchor)
    except (ValueError, TypeError, KeyError):
        raise VisioError("bad_rule") from None
    upcoming = built.between(
        datetime.combine(anchor, start), datetime.combine(anchor, start) + timedelta(days=800)
    )
    if not upcoming:
        raise VisioError("bad_rule")
    if any(b - a < _MIN_GAP for a, b in pairwise(upcoming)):
        raise VisioError("rule_too_frequent")
    return rule


def occurrences(
    rule: str, start: time, anchor: date, zone: ZoneInfo, after: datetime, until: datetime
) -> list[datetime]:
    """Starts (aware UTC) of the rule's occurrences in (``after``, ``until``]."""
    built = _build(rule, start, anchor)
    low = after.astimezone(zone).replace(tzinfo=None)
    high = until.astimezone(zone).replace(tzinfo=None)
    found = [to_utc(local, zone) for local in built.between(low, high, inc=True)]
    return [instant for instant in found if after < instant <= until]


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive wall-clock time in ``zone`` as aware UTC."""
    return local.replace(tzinfo=zone).astimezone(UTC)


def wall_shift(instant: datetime, zone: ZoneInfo, delta: timedelta) -> datetime:
    """``instant`` moved by ``delta`` on the wall clock of ``zone`` (days keep the local hour)."""
    local = instant.astimezone(zone).replace(tzinfo=None)
    return to_utc(local + delta, zone)


def parse_clock(text: str) -> time:
    """A typed time of day ``HH:MM`` (or ``14h``, ``9h30``)."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*[:hH]\s*(\d{2})?\s*", text)
    if match is None:
        raise VisioError("bad_time")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise VisioError("bad_time")
    return time(hour, minute)


def parse_rule_line(text: str, anchor: date) -> tuple[str, time, int]:
    """``FREQ=MONTHLY;BYDAY=2TU 14:00 120``: a typed rule, its start time and minutes."""
    words = text.split()
    if len(words) not in (2, 3):
        raise VisioError("bad_rule")
    start = parse_clock(words[1])
    duration = int(words[2]) if len(words) == 3 and words[2].isdigit() else None
    if len(words) == 3 and duration is None:
        raise VisioError("bad_duration")
    return clean_rule(words[0], start, anchor), start, duration or DEFAULT_DURATION
