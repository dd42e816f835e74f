"""The recurring slot: rules read in Paris wall time, DST-proof offsets, typed rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.visio.model import VisioError, VisioSettings
from bot.domain.visio.plan import after_steps, monthly_session, next_starts
from bot.domain.visio.slot import (
    clean_rule,
    occurrences,
    parse_clock,
    parse_rule_line,
    preset_of,
    preset_rule,
    wall_shift,
)

PARIS = ZoneInfo("Europe/Paris")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_second_tuesday_stays_at_14h_paris_in_winter_and_summer() -> None:
    rule = preset_rule(2, "TU")
    assert rule == "FREQ=MONTHLY;BYDAY=2TU"
    found = occurrences(rule, time(14), date(2030, 1, 1), PARIS, utc(2030, 1, 1), utc(2030, 5, 1))
    assert found == [
        utc(2030, 1, 8, 13),  # CET: UTC+1
        utc(2030, 2, 12, 13),
        utc(2030, 3, 12, 13),
        utc(2030, 4, 9, 12),  # CEST: UTC+2
    ]


@pytest.mark.parametrize(
    ("month", "change_day", "before", "after"),
    [(3, 31, 1, 2), (10, 27, 2, 1)],  # 2030: last Sundays of March and October
)
def test_last_sunday_session_and_reminders_across_the_dst_change(
    month: int, change_day: int, before: int, after: int
) -> None:
    rule = preset_rule(-1, "SU")
    start = occurrences(
        rule, time(14), date(2030, 1, 1), PARIS, utc(2030, month, 1), utc(2030, month + 1, 1)
    )
    assert start == [utc(2030, month, change_day, 14 - after)]
    steps = dict(
        after_steps(
            start[0], start[0] + timedelta(hours=2), (10080, 1440, 60), PARIS, utc(2030, 1, 1)
        )
    )
    local = {name: due.astimezone(PARIS) for name, due in steps.items()}
    assert local["remind_10080"].replace(tzinfo=None) == datetime(2030, month, change_day - 7, 14)
    assert local["remind_1440"].replace(tzinfo=None) == datetime(2030, month, change_day - 1, 14)
    assert local["remind_60"].replace(tzinfo=None) == datetime(2030, month, change_day, 13)
    # the day-before reminder is 23 h (March) or 25 h (October) before, in real time
    assert start[0] - steps["remind_1440"] == timedelta(hours=24 - (after - before))


def test_wall_shift_keeps_the_local_hour_over_a_dst_change() -> None:
    saturday = utc(2030, 3, 30, 13)  # 14:00 CET
    assert wall_shift(saturday, PARIS, timedelta(days=1)) == utc(2030, 3, 31, 12)  # 14:00 CEST


def test_monthly_session_steps_in_order() -> None:
    settings = VisioSettings(rule=preset_rule(2, "TU"), anchor=date(2030, 1, 1))
    session, steps = monthly_session(utc(2030, 4, 9, 12), settings, PARIS)
    names = [name for name, _ in sorted(steps, key=lambda s: s[1])]
    assert names == [
        "call",
        "check",
        "vote_open",
        "vote_close",
        "remind_1440",
        "remind_60",
        "feedback",
        "report",
    ]  # the 7-day reminder falls on the close: dropped
    assert session.vote_closes_at == utc(2030, 4, 2, 12)
    assert session.ends_at - session.starts_at == timedelta(hours=2)


def test_next_starts_skip_occurrences_whose_vote_already_opened() -> None:
    settings = VisioSettings(rule=preset_rule(2, "TU"), anchor=date(2030, 1, 1))
    now = utc(2030, 3, 5, 9)  # the 12 March vote opened on 26 February
    assert next_starts(settings, PARIS, now) == [utc(2030, 4, 9, 12), utc(2030, 5, 14, 12)]
    assert next_starts(VisioSettings(), PARIS, now) == []


def test_presets_round_trip_and_refuse_nonsense() -> None:
    assert preset_of("FREQ=MONTHLY;BYDAY=-1TH") == (-1, "TH")
    assert preset_of("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO") is None
    with pytest.raises(VisioError):
        preset_rule(5, "TU")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "bad_rule"),
        ("FREQ=DAILY", "bad_rule"),
        ("FREQ=MONTHLY;BYDAY=9ZZ", "bad_rule"),
        ("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2", "bad_rule"),
        ("FREQ=WEEKLY;BYDAY=MO,TU", "rule_too_frequent"),
        ("DTSTART:20300101T000000\nFREQ=MONTHLY", "bad_rule"),
    ],
)
def test_typed_rules_refused_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(VisioError) as refused:
        clean_rule(text, time(14), date(2030, 1, 1))
    assert refused.value.code == code


def test_typed_rule_line_with_time_and_duration() -> None:
    rule, start, minutes = parse_rule_line(
        "rrule:freq=weekly;interval=2;byday=we 9h30 90", date(2030, 1, 1)
    )
    assert (rule, start, minutes) == ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", time(9, 30), 90)
    assert parse_rule_line("FREQ=MONTHLY;BYDAY=1MO 10:00", date(2030, 1, 1))[2] == 120
    for bad in ("FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=1MO 25:00", "X 10:00 long"):
        with pytest.raises(VisioError):
            parse_rule_line(bad, date(2030, 1, 1))
    assert parse_clock("14h") == time(14)
