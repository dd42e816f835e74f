"""Telling a member why a typed date-time was refused (shared by every feature that asks one)."""

from __future__ import annotations

from bot.domain.datetime_input import DateTimeInputError
from bot.i18n import Translator


def datetime_error_text(t: Translator, error: DateTimeInputError) -> str:
    """The explanation of a refused date-time, in the member's language."""
    when = t.datetime(error.instant) if error.instant is not None else ""
    return t(f"dates.error.{error.code}", zone=str(t.timezone), when=when)
