from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import OFFICIAL_API_URL, ConfigError, load_settings

TOKEN = "123456789:AAH-test-token-for-maillage-sandbox"


def test_defaults_when_nothing_is_set() -> None:
    settings = load_settings({}, env_file=None)
    assert settings.bot_token is None
    assert settings.api_url == OFFICIAL_API_URL
    assert settings.db_path == Path("maillage.db")
    assert settings.admins == frozenset()
    assert settings.timezone == ZoneInfo("Europe/Paris")
    assert settings.language == "fr"
    assert settings.network_name == "Mon réseau"


def test_every_variable_is_read() -> None:
    settings = load_settings(
        {
            "MAILLAGE_BOT_TOKEN": TOKEN,
            "MAILLAGE_API_URL": "http://127.0.0.1:8081/bot",
            "MAILLAGE_DB": "/tmp/x.db",
            "MAILLAGE_ADMINS": "12, 34",
            "MAILLAGE_TIMEZONE": "America/Cayenne",
            "MAILLAGE_LANGUAGE": "en",
            "MAILLAGE_NETWORK_NAME": "Réseau ADRETS",
        },
        env_file=None,
    )
    assert settings.require_token() == TOKEN
    assert settings.file_url == "http://127.0.0.1:8081/file/bot"
    assert settings.admins == frozenset({12, 34})
    assert settings.timezone == ZoneInfo("America/Cayenne")
    assert (settings.language, settings.network_name) == ("en", "Réseau ADRETS")


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("MAILLAGE_LANGUAGE=en\nMAILLAGE_NETWORK_NAME=Depuis le fichier\n")
    settings = load_settings({"MAILLAGE_LANGUAGE": "fr"}, env_file=env)
    assert settings.language == "fr"
    assert settings.network_name == "Depuis le fichier"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TIMEZONE", "Europe/Pari", "MAILLAGE_TIMEZONE: unknown time zone 'Europe/Pari'"),
        ("LANGUAGE", "de", "MAILLAGE_LANGUAGE: unsupported language 'de' (choose fr or en)"),
        ("ADMINS", "12,abc", "MAILLAGE_ADMINS: not a Telegram user id 'abc'"),
        ("API_URL", "ftp://x", "MAILLAGE_API_URL: not an http(s) URL 'ftp://x'"),
        ("BOT_TOKEN", "nope", "MAILLAGE_BOT_TOKEN: not a bot token (expected '<digits>:<secret>')"),
        ("NETWORK_NAME", " ", "MAILLAGE_NETWORK_NAME: must be 1 to 64 characters"),
    ],
)
def test_invalid_values_stop_with_one_clear_line(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings({f"MAILLAGE_{name}": value}, env_file=None)
    assert str(error.value) == message
    assert "\n" not in str(error.value)


def test_token_is_required_to_run_and_never_in_repr() -> None:
    with pytest.raises(ConfigError, match="MAILLAGE_BOT_TOKEN: required"):
        load_settings({}, env_file=None).require_token()
    assert TOKEN not in repr(load_settings({"MAILLAGE_BOT_TOKEN": TOKEN}, env_file=None))
