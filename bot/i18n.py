"""Key-based message catalogs (fr, en) with HTML-escaped parameters, plurals and Babel dates."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime
from markupsafe import Markup

from bot.config import SUPPORTED_LANGUAGES

LOCALES_DIR = Path(__file__).parent / "locales"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


class CatalogError(ValueError):
    """A catalog file is malformed or incomplete."""


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str | dict[str, str]]:
    flat: dict[str, str | dict[str, str]] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, str):
            flat[name] = value
        elif isinstance(value, Mapping) and value and set(value) <= set(PLURAL_FORMS):
            flat[name] = {form: str(text) for form, text in value.items()}
        elif isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            raise CatalogError(f"{name}: expected text or a table, got {type(value).__name__}")
    return flat


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` a catalog text uses."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def load_language(directory: Path) -> dict[str, str | dict[str, str]]:
    """Merge every ``*.toml`` catalog of one language folder (one file per feature)."""
    merged: dict[str, str | dict[str, str]] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            entries = _flatten(tomllib.load(handle))
        clash = set(entries) & set(merged)
        if clash:
            raise CatalogError(f"{path}: keys already defined elsewhere: {sorted(clash)}")
        merged.update(entries)
    return merged


class Catalogs:
    """All languages' messages, loaded once from ``locales/<language>/*.toml``."""

    def __init__(self, directory: Path = LOCALES_DIR) -> None:
        self.messages = {lang: load_language(directory / lang) for lang in SUPPORTED_LANGUAGES}

    def text(self, language: str, key: str, count: int | None = None, **params: Any) -> Markup:
        """The message ``key`` in ``language``; every parameter is HTML-escaped."""
        entry = self.messages[language].get(key)
        if entry is None:
            raise KeyError(f"missing message {key!r} in {language}")
        if isinstance(entry, dict):
            if count is None:
                raise KeyError(f"message {key!r} needs a count")
            form = _locale(language).plural_form(abs(count))
            entry = entry.get(form, entry["other"])
            params["count"] = count
        return Markup(entry).format(**params)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


class Translator:
    """Messages and dates for one member: their language and the network's zone."""

    def __init__(self, catalogs: Catalogs, language: str, timezone: ZoneInfo) -> None:
        self.catalogs = catalogs
        self.language = language
        self.timezone = timezone

    def __call__(self, key: str, count: int | None = None, **params: Any) -> Markup:
        """The message ``key`` with escaped parameters."""
        return self.catalogs.text(self.language, key, count, **params)

    def datetime(self, instant: datetime) -> str:
        """A full local date and time, e.g. 'mardi 9 décembre 2025 à 14 h 00'."""
        pattern = self.catalogs.text(self.language, "format.datetime")
        return format_datetime(instant, pattern, tzinfo=self.timezone, locale=self.language)


def pick_language(telegram_code: str | None, default: str) -> str:
    """The supported language matching Telegram's language code, else the default."""
    if telegram_code:
        primary = telegram_code.split("-")[0].lower()
        if primary in SUPPORTED_LANGUAGES:
            return primary
    return default
