"""What animators and members type, cleaned and checked: titles, links, windows, reminders."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from bot.domain.visio.model import (
    MAX_DAYS,
    MAX_DESCRIPTION,
    MAX_REASON,
    MAX_REMINDERS,
    MAX_TITLE,
    VisioError,
)

_UNITS = {"j": 1440, "d": 1440, "h": 60, "min": 1, "m": 1}
_REMINDER = re.compile(r"^(\d{1,3})\s*(j|d|h|min|m)$")
MAX_LINK = 500
NO_REMINDER = ("aucun", "none")


def clean_text(text: str | None, limit: int) -> str:
    """Whitespace collapsed; VisioError ``empty`` or ``too_long`` (with the limit)."""
    value = " ".join((text or "").split())
    if not value:
        raise VisioError("empty")
    if len(value) > limit:
        raise VisioError("too_long", limit=limit)
    return value


def clean_title(text: str | None) -> str:
    """A topic title: 1 to 100 characters."""
    return clean_text(text, MAX_TITLE)


def clean_description(text: str | None) -> str:
    """A topic description: up to 1,000 characters, line breaks kept."""
    lines = [" ".join(line.split()) for line in (text or "").strip().splitlines()]
    value = "\n".join(line for line in lines if line)
    if not value:
        raise VisioError("empty")
    if len(value) > MAX_DESCRIPTION:
        raise VisioError("too_long", limit=MAX_DESCRIPTION)
    return value


def clean_reason(text: str | None) -> str:
    """Why a topic is rejected: 1 to 300 characters."""
    return clean_text(text, MAX_REASON)


def normalise(title: str) -> str:
    """The comparison key of a title: no case, accents, punctuation or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


def clean_link(text: str | None) -> str:
    """A video link: an http(s) URL with a host, no spaces."""
    value = (text or "").strip()
    if not value or len(value) > MAX_LINK or any(c.isspace() for c in value):
        raise VisioError("bad_link")
    try:
        parts = urlsplit(value)
    except ValueError:
        raise VisioError("bad_link") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise VisioError("bad_link")
    return value


def parse_windows(text: str) -> tuple[int, int, int]:
    """``21 14 7``: proposals open, vote opens and vote closes, in days before the session."""
    numbers = re.findall(r"\d+", text)
    if len(numbers) != 3 or re.sub(r"[\d\s,;/-]", "", text):
        raise VisioError("bad_windows")
    proposal, vote_open, vote_close = (int(n) for n in numbers)
    if not MAX_DAYS >= proposal >= vote_open > vote_close >= 1:
        raise VisioError("bad_windows")
    return proposal, vote_open, vote_close


def parse_reminders(text: str) -> tuple[int, ...]:
    """``7j 1j 1h``: reminders before the session, in minutes, latest last (at most 5).

    ``aucun`` (or ``none``) means no reminder at all.
    """
    if text.strip().lower() in NO_REMINDER:
        return ()
    tokens = [token for token in re.split(r"[\s,;]+", text.strip().lower()) if token]
    minutes: set[int] = set()
    for token in tokens:
        match = _REMINDER.match(token)
        if match is None:
            raise VisioError("bad_reminders")
        value = int(match.group(1)) * _UNITS[match.group(2)]
        if not 0 < value <= MAX_DAYS * 1440:
            raise VisioError("bad_reminders")
        minutes.add(value)
    if not minutes or len(minutes) > MAX_REMINDERS:
        raise VisioError("bad_reminders")
    return tuple(sorted(minutes, reverse=True))
