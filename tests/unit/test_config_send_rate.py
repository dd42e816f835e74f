import pytest

from bot.config import MAX_SEND_RATE, ConfigError, load_settings


def test_send_rate_defaults_to_telegrams_thirty_per_second() -> None:
    assert load_settings({}, env_file=None).send_rate == 30


def test_send_rate_is_read() -> None:
    assert load_settings({"MAILLAGE_SEND_RATE": " 300 "}, env_file=None).send_rate == 300
    settings = load_settings({"MAILLAGE_SEND_RATE": str(MAX_SEND_RATE)}, env_file=None)
    assert settings.send_rate == MAX_SEND_RATE


@pytest.mark.parametrize("value", ["0", "-5", "2.5", "fast", "", "10001", "99999999"])
def test_bad_send_rate_stops_with_one_clear_line(value: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings({"MAILLAGE_SEND_RATE": value}, env_file=None)
    message = str(error.value)
    assert message == (
        "MAILLAGE_SEND_RATE: messages per second, a whole number from 1 to 10000"
        f" (got {value.strip()!r})"
    )
    assert "\n" not in message
