"""Settings, loaded once from MAILLAGE_* environment variables and an optional .env file."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.matrix.identity import matrix_user_number

OFFICIAL_API_URL = "https://api.telegram.org/bot"
SUPPORTED_LANGUAGES = ("fr", "en")
MAX_SEND_RATE = 10_000
MAX_RETENTION_MONTHS = 1200
DEFAULT_ANONYMITY_THRESHOLD = 5
"""k: no published figure counts fewer people (statistics; diagnostic campaigns by default)."""
MAX_ANONYMITY_THRESHOLD = 100
_TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_MATRIX_USER_PATTERN = re.compile(r"^@[a-z0-9._=/+-]+:[A-Za-z0-9.-]+(:\d{1,5})?$")
DEFAULT_MATRIX_RATE = 10
"""Events per second the bot's Matrix account sends (ask Tchap for the override first)."""
MATRIX_VARIABLES = ("MAILLAGE_MATRIX_HOMESERVER", "MAILLAGE_MATRIX_USER", "MAILLAGE_MATRIX_TOKEN")


class ConfigError(ValueError):
    """A setting is invalid; the message is one line naming the variable."""


@dataclass(frozen=True)
class MatrixAccount:
    """The bot's Matrix account: homeserver, user id, access token, pace, state file."""

    homeserver: str
    user_id: str
    access_token: str = field(repr=False)
    per_second: int
    state_path: Path


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
    matrix_homeserver: str | None = None
    matrix_user: str | None = None
    matrix_token: str | None = field(default=None, repr=False)
    matrix_rate: int = DEFAULT_MATRIX_RATE
    matrix_state: Path | None = None

    @property
    def secrets(self) -> list[str]:
        """Every secret a log line must never show (the Telegram and Matrix tokens)."""
        return [s for s in (self.bot_token, self.matrix_token) if s]

    def require_matrix(self) -> MatrixAccount:
        """The bot's Matrix account, or fail with the one line naming what is missing."""
        values = (self.matrix_homeserver, self.matrix_user, self.matrix_token)
        missing = [name for name, value in zip(MATRIX_VARIABLES, values, strict=True) if not value]
        if missing:
            raise ConfigError(
                ", ".join(missing) + ": required with --transport matrix"
                " (README: Going live on Tchap)"
            )
        assert self.matrix_homeserver and self.matrix_user and self.matrix_token
        state = self.matrix_state or self.db_path.with_name(self.db_path.stem + "-matrix.sqlite")
        return MatrixAccount(
            self.matrix_homeserver, self.matrix_user, self.matrix_token, self.matrix_rate, state
        )

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


def _parse_matrix_homeserver(value: str) -> str | None:
    if not value:
        return None
    if not re.match(r"^https?://[^\s/]+/?$", value):
        raise ConfigError(
            f"MAILLAGE_MATRIX_HOMESERVER: not a homeserver URL {value!r}"
            " (expected https://host, e.g. https://matrix.agent.tchap.gouv.fr)"
        )
    return value.rstrip("/")


def _parse_matrix_user(value: str) -> str | None:
    if not value:
        return None
    if not _MATRIX_USER_PATTERN.match(value):
        raise ConfigError(
            f"MAILLAGE_MATRIX_USER: not a Matrix user id {value!r} (expected @name:server)"
        )
    return value


def _parse_matrix_token(value: str) -> str | None:
    if value and (len(value) < 8 or any(c.isspace() for c in value)):
        raise ConfigError("MAILLAGE_MATRIX_TOKEN: not an access token (see the login API)")
    return value or None


def _parse_matrix_rate(value: str) -> int:
    if not re.fullmatch(r"\d{1,5}", value) or not 1 <= int(value) <= MAX_SEND_RATE:
        raise ConfigError(
            "MAILLAGE_MATRIX_RATE: events per second the bot's Matrix account may send,"
            f" a whole number from 1 to {MAX_SEND_RATE} (got {value!r})"
        )
    return int(value)


def _parse_admins(value: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in filter(None, (p.strip() for p in value.split(","))):
        if _MATRIX_USER_PATTERN.match(part):  # a Matrix admin: @name:server
            ids.add(matrix_user_number(part))
            continue
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
        matrix_homeserver=_parse_matrix_homeserver(get("MATRIX_HOMESERVER", "")),
        matrix_user=_parse_matrix_user(get("MATRIX_USER", "")),
        matrix_token=_parse_matrix_token(get("MATRIX_TOKEN", "")),
        matrix_rate=_parse_matrix_rate(get("MATRIX_RATE", str(DEFAULT_MATRIX_RATE))),
        matrix_state=Path(get("MATRIX_STATE", "")) if get("MATRIX_STATE", "") else None,
    )
