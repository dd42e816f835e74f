"""What a member may refuse to receive: one opt-out per category of bulk send."""

from __future__ import annotations

from enum import StrEnum


class OptOutCategory(StrEnum):
    """The delivery category of a send, listed in /preferences in this order."""

    NEWSLETTER = "newsletter"
    REMINDER = "reminder"
    STATS = "stats"
    PROJECTS = "projects"
