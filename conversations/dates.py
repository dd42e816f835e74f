"""Telling a member why a typed date-time was refused (shared by every feature that asks one)."""

from __future__ import annotations

from babel.dates import format_date

from bot.domain.datetime_input import DateTimeInputError
from bot.i18n import Translator


def datetime_error_text(t: Translator, error: DateTimeInputError) -> str:
    """The explanation of a refused date-time or day, in the member's language."""
    when = ""
    if error.instant is not None:
        when = t.datetime(error.instant)
    elif error.day is not None:
        when = format_date(error.day, "full", locale=t.language)
    return t(f"dates.error.{error.code}", zone=str(t.timezone), when=when)
