"""Sessions on the days the clocks change (last Sundays of March and October, Paris)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.clock import FrozenClock
from tests.e2e.conftest import Network

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    """A Paris wall-clock time."""
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


@pytest.mark.parametrize(
    ("month", "sunday", "day_before_gap"),
    [(3, 31, timedelta(hours=23)), (10, 27, timedelta(hours=25))],
    ids=["march", "october"],
)
async def test_reminders_keep_the_local_hour_across_the_dst_change(
    clocked_network: Network,
    clock: FrozenClock,
    month: int,
    sunday: int,
    day_before_gap: timedelta,
) -> None:
    network = clocked_network
    clock.set(paris(2030, month, 1, 9))
    await network.animator()
    bruno = await network.member("Bruno")
    visio = network.services.visio
    await visio.cycle.set_slot("FREQ=MONTHLY;BYDAY=-1SU", time(14), 120)
    await visio.cycle.set_reminders("6j 1j 1h")
    await visio.topics.propose(bruno.user_id, "Accueil")
    await network.reach(paris(2030, month, sunday - 7, 14))  # call, vote, close
    await bruno.expect("Résultat du vote")
    await bruno.expect("Serez-vous là ?")

    starts = paris(2030, month, sunday, 14)
    reminders = [
        paris(2030, month, sunday - 6, 14),
        paris(2030, month, sunday - 1, 14),
        paris(2030, month, sunday, 13),
    ]
    assert starts - reminders[1] == day_before_gap  # same local hour, not 24 real hours
    for due in reminders:
        await network.reach(due - timedelta(minutes=1))
        await bruno.expect_nothing()
        await network.reach(due)
        day = "31 mars" if month == 3 else "27 octobre"
        await bruno.expect(f"Rappel : visio « Accueil » le dimanche {day} 2030 à 14 h 00")

    await bruno.tap("📅 Ajouter à mon agenda")
    event = Calendar.from_ical((await bruno.expect_document()).data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == starts.astimezone(PARIS)
    assert event["dtstart"].to_ical() == f"2030{month:02d}{sunday}T140000".encode()
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
