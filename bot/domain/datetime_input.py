"""Dates and times typed by a person, read in the network's zone, returned in UTC.

Accepts what people write and what the bot itself displays: ``15/12/2026 17:00``,
``15-12-26 17h``, ``2026-12-15 17:00``, ``15 décembre 2026 à 17 h 30``,
``mardi 15 décembre 2026 à 17 h 00``, ``December 15, 2026 5:30 pm``. A missing year
means the next such date. Refusals carry a ``code`` the catalogs name (``dates.error.*``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import get_day_names, get_month_names

from bot.config import SUPPORTED_LANGUAGES

_TIME = re.compile(
    r"(?<![\d/.\-])(?P<hour>\d{1,2})\s*(?:(?:[:h])\s*(?P<minute>\d{2})?\s*(?P<half>am|pm)?"
    r"|(?P<half_only>am|pm))(?![\d])"
)
_NUMERIC = re.compile(r"(?P<day>\d{1,2})[/.\-](?P<month>\d{1,2})(?:[/.\-](?P<year>\d{2}|\d{4}))?")
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_DAY_MONTH = re.compile(
    r"(?P<day>\d{1,2})(?:er|st|nd|rd|th)? (?P<name>[a-z]+)(?: (?P<year>\d{4}))?"
)
_MONTH_DAY = re.compile(r"(?P<name>[a-z]+) (?P<day>\d{1,2})(?:st|nd|rd|th)?(?: (?P<year>\d{4}))?")
_FILLERS = frozenset({"le", "a", "at", "on", "the", "de"})


class DateTimeInputError(ValueError):
    """A typed date-time was refused; ``code`` names the reason for the catalog."""

    def __init__(self, code: str, instant: datetime | None = None, day: date | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.instant = instant
        self.day = day


def _plain(text: str) -> str:
    """Lower case, no accents, one space between words, no commas."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace(",", " ").split())


@cache
def _month_numbers() -> dict[str, int]:
    names: dict[str, int] = {}
    for language in SUPPORTED_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=language).items():
                names[_plain(name).rstrip(".")] = number
    names["sept"] = 9
    return names


@cache
def _day_names() -> frozenset[str]:
    return frozenset(
        _plain(name).rstrip(".")
        for language in SUPPORTED_LANGUAGES
        for width in ("wide", "abbreviated")
        for name in get_day_names(width, locale=language).values()
    )


def _split_time(text: str) -> tuple[str, tuple[int, int] | None]:
    """The text without its time of day, and that time (hour, minute) if one was found."""
    found = None
    for match in _TIME.finditer(text):
        found = match
    if found is None:
        return text, None
    hour, minute = int(found["hour"]), int(found["minute"] or 0)
    half = found["half"] or found["half_only"]
    if half:
        if not 1 <= hour <= 12:
            raise DateTimeInputError("unparseable")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise DateTimeInputError("unparseable")
    return text[: found.start()] + " " + text[found.end() :], (hour, minute)


def _date_fields(text: str) -> tuple[int, int, int | None]:
    """(day, month, year or None) of the date part."""
    words = [w.rstrip(".") for w in text.split() if w.rstrip(".") not in _FILLERS]
    words = [w for w in words if w not in _day_names()]
    rest = " ".join(words)
    for pattern in (_ISO, _NUMERIC):
        match = pattern.fullmatch(rest)
        if match:
            return int(match["day"]), int(match["month"]), _year(match["year"])
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        match = pattern.fullmatch(rest)
        if match and match["name"] in _month_numbers():
            return int(match["day"]), _month_numbers()[match["name"]], _year(match["year"])
    raise DateTimeInputError("unparseable")


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _local(year: int, month: int, day: int, time: tuple[int, int], zone: ZoneInfo) -> datetime:
    try:
        naive = datetime(year, month, day, *time)
    except ValueError:
        raise DateTimeInputError("unparseable") from None
    aware = naive.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise DateTimeInputError("nonexistent")
    return aware.astimezone(UTC)


def parse_datetime_input(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """The future instant ``text`` names in ``zone``, in UTC, or DateTimeInputError.

    Codes: ``unparseable``, ``no_time`` (a date without a time of day), ``nonexistent``
    (a time skipped by a daylight-saving change), ``past`` (with the ``instant`` read).
    """
    plain = re.sub(r"(?<=\d)t(?=\d)", " ", _plain(text))
    date_text, time = _split_time(plain)
    day, month, year = _date_fields(date_text)
    if time is None:
        raise DateTimeInputError("no_time")
    this_year = now.astimezone(zone).year
    instant = _local(year or this_year, month, day, time, zone)
    if year is None and instant <= now:
        instant = _local(this_year + 1, month, day, time, zone)
    if instant <= now:
        raise DateTimeInputError("past", instant)
    return instant


def parse_date_input(text: str, zone: ZoneInfo, now: datetime) -> date:
    """The day ``text`` names (today or later in ``zone``), or DateTimeInputError.

    Same spellings as :func:`parse_datetime_input` without the time of day; a missing year
    means the next such day. Codes: ``unparseable``, ``past``.
    """
    day, month, year = _date_fields(_plain(text))
    today = now.astimezone(zone).date()
    try:
        found = date(year or today.year, month, day)
        if year is None and found < today:
            found = date(today.year + 1, month, day)
    except ValueError:
        raise DateTimeInputError("unparseable") from None
    if found < today:
        raise DateTimeInputError("past", day=found)
    return found
