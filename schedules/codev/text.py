"""How co-development names people, days and times in messages (shared by handlers and jobs)."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_time

from bot.domain.members import Member
from bot.i18n import Translator


def day_text(t: Translator, day: date) -> str:
    """A day as the member reads it, e.g. ``mardi 12 mars 2030``."""
    return format_date(day, t("codev.format.day"), locale=t.language)


def clock_time(t: Translator, instant: datetime | None) -> str:
    """A local time of day, e.g. ``14 h 25``."""
    return format_time(instant, t("codev.format.time"), tzinfo=t.timezone, locale=t.language)


def person(t: Translator, member: Member | None) -> str:
    """``Name (Organisation)`` of a member, or a neutral label once their data is erased."""
    if member is None:
        return str(t("codev.someone"))
    return str(
        t(
            "codev.person",
            name=member.display_name or str(member.user_id),
            organisation=member.organisation or "—",
        )
    )
