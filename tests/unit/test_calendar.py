from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.calendar import CalendarEvent, to_ics

PARIS = ZoneInfo("Europe/Paris")


def _event(**changes: object) -> CalendarEvent:
    values = {
        "uid": "session-42@maillage",
        "title": "Visio : l'accueil des usagers en situation de handicap",
        "start": datetime(2026, 3, 10, 13, 0, tzinfo=UTC),
        "end": datetime(2026, 3, 10, 15, 0, tzinfo=UTC),
        "timezone": PARIS,
        "description": "Deux heures d'échanges entre France Services.",
        "location": "https://visio.example.org/reseau",
        "url": "https://visio.example.org/reseau",
    }
    values.update(changes)
    return CalendarEvent(**values)  # type: ignore[arg-type]


def test_ics_parses_back_with_local_times_zone_and_link() -> None:
    parsed = Calendar.from_ical(to_ics(_event(), datetime(2026, 2, 1, tzinfo=UTC)))
    (event,) = parsed.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == datetime(2026, 3, 10, 14, 0, tzinfo=PARIS)
    assert str(start.tzinfo) == "Europe/Paris"
    assert event.decoded("dtend") - start == datetime(2026, 3, 10, 15) - datetime(2026, 3, 10, 13)
    assert str(event["location"]) == "https://visio.example.org/reseau"
    assert str(event["status"]) == "CONFIRMED"
    (zone,) = parsed.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Paris"


def test_cancellation_keeps_the_uid_and_raises_the_sequence() -> None:
    parsed = Calendar.from_ical(
        to_ics(_event(sequence=2, cancelled=True), datetime(2026, 3, 1, tzinfo=UTC))
    )
    assert str(parsed["method"]) == "CANCEL"
    (event,) = parsed.walk("VEVENT")
    assert (str(event["uid"]), event["sequence"], str(event["status"])) == (
        "session-42@maillage",
        2,
        "CANCELLED",
    )


def test_naive_or_inverted_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        _event(start=datetime(2026, 3, 10, 14, 0))
    with pytest.raises(ValueError, match="end after"):
        _event(end=datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
