from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.datetime_input import DateTimeInputError, parse_date_input

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2030, 3, 5, 23, 30, tzinfo=UTC)  # already Wednesday 6 March in Paris


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 avril", date(2030, 4, 15)),
        ("15/04/2030", date(2030, 4, 15)),
        ("2030-04-15", date(2030, 4, 15)),
        ("lundi 15 avril 2030", date(2030, 4, 15)),
        ("April 15", date(2030, 4, 15)),
        ("06/03", date(2030, 3, 6)),  # today in Paris
        ("05/03", date(2031, 3, 5)),  # no year and past: next year
    ],
)
def test_due_days_typed_in_many_ways(text: str, expected: date) -> None:
    assert parse_date_input(text, PARIS, NOW) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [("demain peut-être", "unparseable"), ("31/02", "unparseable"), ("05/03/2030", "past")],
)
def test_refused_days_name_the_reason(text: str, code: str) -> None:
    with pytest.raises(DateTimeInputError) as raised:
        parse_date_input(text, PARIS, NOW)
    assert raised.value.code == code


@given(st.dates(min_value=date(2030, 3, 6), max_value=date(2031, 3, 5)))
def test_any_written_day_reads_back(day: date) -> None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%y"):
        assert parse_date_input(day.strftime(pattern), PARIS, NOW) == day
