"""What a group's typed fields may hold: lengths, a web link for a video group, its size."""

from __future__ import annotations

import re

from bot.domain.codev.model import (
    CHARTER_MAX,
    DETAIL_MAX,
    MAX_SIZE,
    MIN_SIZE,
    NAME_MAX,
    THEME_MAX,
    CodevError,
    MeetingMode,
    clean_text,
)

_LINK = re.compile(r"^https?://\S+$")
FIELD_LIMITS = {"name": NAME_MAX, "theme": THEME_MAX, "detail": DETAIL_MAX, "charter": CHARTER_MAX}


def check_field(field: str, text: str | None, mode: MeetingMode | None = None) -> str:
    """A group's typed field, normalised; a video group's detail must be a web link."""
    if field not in FIELD_LIMITS:
        raise ValueError(f"not a group field: {field}")
    value = clean_text(text, FIELD_LIMITS[field], one_paragraph=field != "charter")
    if field == "detail" and mode is MeetingMode.VIDEO:
        check_link(value)
    return value


def check_link(value: str) -> str:
    """A video link: one http(s) address, nothing else."""
    if not _LINK.match(value):
        raise CodevError("link_expected")
    return value


def check_size(size: int) -> int:
    """A group size within the method's 4 to 8 peers."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise CodevError("size", low=MIN_SIZE, high=MAX_SIZE)
    return size
