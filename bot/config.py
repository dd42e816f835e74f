"""Settings, loaded once from MAILLAGE_* environment variables and an optional .env file."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

OFFICIAL_API_URL = "https://api.telegram.org/bot"
SUPPORTED_LANGUAGES = ("fr", "en")
MAX_SEND_RATE = 10_000
MAX_RETENTION_MONTHS = 1200
DEFAULT_ANONYMITY_THRESHOLD = 5
"""k: no published figure counts fewer people (statistics; diagnostic campaigns by default)."""
MAX_ANONYMITY_THRESHOLD = 100
_TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")


class ConfigError(ValueError):
    """A setting is invalid; the message is one line naming the variable."""


@dataclass(frozen=True)
class Settings:
    """Validated configuration of one maillage instance."""

    bot_token: str | None = field(default=None, repr=False)
    api_url: str = OFFICIAL_API_URL
    db_path: Path = Path("maillage.db")
    admins: frozenset[int] = frozenset()
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Paris"))
    language: str = "fr"
    network_name: str = "Mon réseau"
    send_rate: int = 30
    retention_months: int = 24
    anonymity_threshold: int = DEFAULT_ANONYMITY_THRESHOLD

    @property
    def file_url(self) -> str:
        """Base URL for file downloads, derived from the API URL as Telegram lays it out."""
        base = self.api_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"

    def require_token(self) -> str:
        """Return the bot token or fail with the one line a user needs."""
        if not self.bot_token:
            raise ConfigError("MAILLAGE_BOT_TOKEN: required to run the bot (ask @BotFather)")
        return self.bot_token


def _parse_token(value: str) -> str | None:
    if not value:
        return None
    if not _TOKEN_PATTERN.match(value):
        raise ConfigError("MAILLAGE_BOT_TOKEN: not a bot token (expected '<digits>:<secret>')")
    return value


def _parse_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise ConfigError(f"MAILLAGE_API_URL: not an http(s) URL {value!r}")
    return value.rstrip("/")


def _parse_admins(value: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in filter(None, (p.strip() for p in value.split(","))):
        if not re.fullmatch(r"\d{1,15}", part):
            raise ConfigError(f"MAILLAGE_ADMINS: not a Telegram user id {part!r}")
        ids.add(int(part))
    return frozenset(ids)


def _parse_timezone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"MAILLAGE_TIMEZONE: unknown time zone {value!r}") from None


def _parse_language(value: str) -> str:
    if value not in SUPPORTED_LANGUAGES:
        raise ConfigError(
            f"MAILLAGE_LANGUAGE: unsupported language {value!r} (choose fr or en)",
        )
    return value


def _parse_network_name(value: str) -> str:
    name = value.strip()
    if not name or len(name) > 64:
        raise ConfigError("MAILLAGE_NETWORK_NAME: must be 1 to 64 characters")
    return name


def _parse_send_rate(value: str) -> int:
    if not re.fullmatch(r"\d{1,5}", value) or not 1 <= int(value) <= MAX_SEND_RATE:
        raise ConfigError(
            f"MAILLAGE_SEND_RATE: messages per second, a whole number from 1 to {MAX_SEND_RATE}"
            f" (got {value!r})"
        )
    return int(value)


def _parse_retention_months(value: str) -> int:
    if not re.fullmatch(r"\d{1,4}", value) or not 1 <= int(value) <= MAX_RETENTION_MONTHS:
        raise ConfigError(
            "MAILLAGE_RETENTION_MONTHS: months personal data is kept, a whole number from 1 to"
            f" {MAX_RETENTION_MONTHS} (got {value!r})"
        )
    return int(value)


def _parse_anonymity_threshold(value: str) -> int:
    if not re.fullmatch(r"\d{1,3}", value) or not 1 <= int(value) <= MAX_ANONYMITY_THRESHOLD:
        raise ConfigError(
            "MAILLAGE_ANONYMITY_THRESHOLD: the fewest people a published figure may count,"
            f" a whole number from 1 to {MAX_ANONYMITY_THRESHOLD} (got {value!r})"
        )
    return int(value)


def load_settings(
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = Path(".env"),
) -> Settings:
    """Read MAILLAGE_* variables (environment over .env) and validate them."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str, default: str) -> str:
        return values.get(f"MAILLAGE_{name}", default).strip()

    return Settings(
        bot_token=_parse_token(get("BOT_TOKEN", "")),
        api_url=_parse_url(get("API_URL", OFFICIAL_API_URL)),
        db_path=Path(get("DB", "maillage.db")),
        admins=_parse_admins(get("ADMINS", "")),
        timezone=_parse_timezone(get("TIMEZONE", "Europe/Paris")),
        language=_parse_language(get("LANGUAGE", "fr")),
        network_name=_parse_network_name(get("NETWORK_NAME", "Mon réseau")),
        send_rate=_parse_send_rate(get("SEND_RATE", "30")),
        retention_months=_parse_retention_months(get("RETENTION_MONTHS", "24")),
        anonymity_threshold=_parse_anonymity_threshold(
            get("ANONYMITY_THRESHOLD", str(DEFAULT_ANONYMITY_THRESHOLD))
        ),
    )
