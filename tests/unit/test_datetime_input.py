from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.datetime_input import DateTimeInputError, parse_date_input, parse_datetime_input
from bot.i18n import Catalogs, Translator
from conversations.dates import datetime_error_text

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "15/12/2026 17:00",
        "15/12/2026 17h",
        "15-12-26 17h00",
        "2026-12-15 17:00",
        "2026-12-15T17:00",
        "15 décembre 2026 à 17 h 00",
        "15 decembre 2026 17h",
        "mardi 15 décembre 2026 à 17 h 00",
        "15 déc. 2026, 17:00",
        "December 15, 2026 5 pm",
        "Tuesday 15 December 2026 at 17:00",
        "15/12 17:00",
        "17:00 15/12/2026",
    ],
)
def test_common_spellings_name_the_same_instant(text: str) -> None:
    assert parse_datetime_input(text, PARIS, NOW) == datetime(2026, 12, 15, 16, 0, tzinfo=UTC)


def test_the_format_the_bot_displays_reads_back() -> None:
    t = Translator(Catalogs(), "fr", PARIS)
    instant = datetime(2027, 7, 14, 8, 30, tzinfo=UTC)
    assert parse_datetime_input(t.datetime(instant), PARIS, NOW) == instant
    english = Translator(Catalogs(), "en", PARIS)
    assert parse_datetime_input(english.datetime(instant), PARIS, NOW) == instant


def test_a_date_without_year_is_the_next_one() -> None:
    assert parse_datetime_input("3/9 8h", PARIS, NOW) == datetime(2027, 9, 3, 6, 0, tzinfo=UTC)
    assert parse_datetime_input("6/11 8h", PARIS, NOW) == datetime(2026, 11, 6, 7, 0, tzinfo=UTC)


def test_summer_time_is_applied_for_the_local_day() -> None:
    summer = parse_datetime_input("1/7/2027 9:00", PARIS, NOW)
    assert summer == datetime(2027, 7, 1, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "unparseable"),
        ("demain", "unparseable"),
        ("32/12/2026 10:00", "unparseable"),
        ("31/02/2027 10:00", "unparseable"),
        ("15/12/2026 24:00", "unparseable"),
        ("15/12/2026 13 pm", "unparseable"),
        ("15/13/2026 10:00", "unparseable"),
        ("15/12/2026", "no_time"),
        ("28/03/2027 02:30", "nonexistent"),
        ("1/1/2020 10:00", "past"),
        ("5/11/2026 9:59", "past"),
    ],
)
def test_refusals_carry_a_reason(text: str, code: str) -> None:
    with pytest.raises(DateTimeInputError) as refused:
        parse_datetime_input(text, PARIS, NOW)
    assert refused.value.code == code


def test_refusals_are_explained_in_the_member_language() -> None:
    catalogs = Catalogs()
    with pytest.raises(DateTimeInputError) as past:
        parse_datetime_input("1/1/2020 10:00", PARIS, NOW)
    french = datetime_error_text(Translator(catalogs, "fr", PARIS), past.value)
    assert (
        french == "Le mercredi 1 janvier 2020 à 10 h 00 est déjà passé. Indiquez une date à venir."
    )
    with pytest.raises(DateTimeInputError) as unreadable:
        parse_datetime_input("bientôt", PARIS, NOW)
    english = datetime_error_text(Translator(catalogs, "en", PARIS), unreadable.value)
    assert "15/12/2026 17:00" in english and "Europe/Paris" in english


def test_a_past_day_is_named_in_the_refusal() -> None:
    with pytest.raises(DateTimeInputError) as past:
        parse_date_input("1/1/2020", PARIS, NOW)
    french = datetime_error_text(Translator(Catalogs(), "fr", PARIS), past.value)
    assert french == "Le mercredi 1 janvier 2020 est déjà passé. Indiquez une date à venir."


@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_never_crashes(text: str) -> None:
    try:
        result = parse_datetime_input(text, PARIS, NOW)
    except DateTimeInputError:
        return
    assert result > NOW and result.tzinfo is not None
