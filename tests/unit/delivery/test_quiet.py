"""Quiet hours: when a period ends, and rows held back at creation unless the send is urgent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FrozenClock, to_iso
from bot.delivery import DeliveryEngine, QuietHours, Recipient
from bot.services import Services
from tests.unit.delivery.conftest import FakeSender, make_engine
from tests.unit.delivery.helpers import add_members, draft

PARIS = ZoneInfo("Europe/Paris")
EVENINGS = QuietHours(time(20), time(8))


def paris(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=PARIS).astimezone(UTC)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (paris(2030, 3, 5, 19, 59), None),
        (paris(2030, 3, 5, 20, 0), paris(2030, 3, 6, 8, 0)),
        (paris(2030, 3, 5, 23, 30), paris(2030, 3, 6, 8, 0)),
        (paris(2030, 3, 6, 2, 0), paris(2030, 3, 6, 8, 0)),
        (paris(2030, 3, 6, 8, 0), None),
        # the night of the change to summer time (31 March 2030): 8:00 is then UTC+2
        (paris(2030, 3, 30, 22, 0), datetime(2030, 3, 31, 6, 0, tzinfo=UTC)),
    ],
)
def test_an_overnight_period_ends_the_next_morning_in_the_network_zone(
    instant: datetime, expected: datetime | None
) -> None:
    assert EVENINGS.until(instant, PARIS) == expected


def test_a_daytime_period_and_the_stored_minutes() -> None:
    lunch = QuietHours(time(12), time(13, 30))
    assert lunch.until(paris(2030, 3, 5, 12, 45), PARIS) == paris(2030, 3, 5, 13, 30)
    assert lunch.until(paris(2030, 3, 5, 13, 30), PARIS) is None
    assert lunch.until(paris(2030, 3, 5, 11, 0), PARIS) is None
    assert QuietHours.from_minutes(*lunch.minutes) == lunch
    with pytest.raises(ValueError, match="different"):
        QuietHours(time(8), time(8))
    with pytest.raises(ValueError, match="time of day"):
        QuietHours.from_minutes(0, 1440)


@pytest.fixture
def night_clock(clock: FrozenClock) -> FrozenClock:
    clock.set(paris(2030, 3, 5, 22, 0))
    return clock


@pytest.fixture
async def zoned(services: Services, sender: FakeSender) -> AsyncIterator[DeliveryEngine]:
    """An engine reading quiet hours in the Paris zone."""
    engine = make_engine(services, sender, zone=PARIS)
    yield engine
    await engine.close()


async def test_members_in_their_quiet_hours_wait_unless_the_send_is_urgent(
    services: Services, night_clock: FrozenClock, sender: FakeSender, zoned: DeliveryEngine
) -> None:
    members = await add_members(services, [1, 2, 3])
    await zoned.preferences.set_quiet_hours(1, EVENINGS)
    await zoned.preferences.set_quiet_hours(2, QuietHours(time(12), time(14)))
    morning = paris(2030, 3, 6, 8, 0)

    send_id, audience = await zoned.create_send(draft(), members)
    assert (audience.eligible, audience.deferred) == (3, 1)
    report = await zoned.run(send_id)
    assert sorted(sender.chats()) == [2, 3]
    assert report is not None and report.next_due == morning
    assert await zoned.due_sends() == [(send_id, morning)]

    night_clock.set(morning)
    await zoned.run(send_id)
    assert sorted(sender.chats()) == [1, 2, 3]

    urgent_id, urgent = await zoned.create_send(draft(urgent=True), members)
    assert urgent.deferred == 0
    night_clock.set(paris(2030, 3, 6, 21, 0))
    await zoned.run(urgent_id)
    assert sorted(sender.chats()) == [1, 1, 2, 2, 3, 3]


async def test_quiet_hours_are_read_at_the_due_time_and_spare_chats_addressed_directly(
    services: Services, clock: FrozenClock, zoned: DeliveryEngine
) -> None:
    members = await add_members(services, [1])
    await zoned.preferences.set_quiet_hours(1, EVENINGS)
    clock.set(paris(2030, 3, 5, 15, 0))  # afternoon: not quiet now, but quiet at 21:00
    _, later = await zoned.create_send(draft(due_at=paris(2030, 3, 5, 21, 0)), members)
    _, now = await zoned.create_send(draft(), members)
    _, direct = await zoned.create_send(
        draft(due_at=paris(2030, 3, 5, 21, 0)), chats=[Recipient(1, "fr", user_id=1)]
    )
    assert (later.deferred, now.deferred, direct.deferred) == (1, 0, 0)


async def test_quiet_hours_are_personal_data(services: Services, engine: DeliveryEngine) -> None:
    await add_members(services, [1])
    await engine.preferences.set_quiet_hours(1, EVENINGS)
    assert await engine.preferences.quiet_hours(1) == EVENINGS
    exported = await services.privacy.export(1)
    assert exported["deliveries"]["quiet_hours"] == {
        "starts_minute": 20 * 60,
        "ends_minute": 8 * 60,
        "updated_at": to_iso(services.clock.now()),
    }
    await engine.preferences.set_quiet_hours(1, None)
    assert await engine.preferences.quiet_hours(1) is None
    await engine.preferences.set_quiet_hours(1, EVENINGS)
    await services.privacy.erase(1)
    assert await engine.preferences.quiet_hours(1) is None


async def test_waiting_sends_are_listed_by_kind_soonest_first(
    services: Services, clock: FrozenClock, engine: DeliveryEngine
) -> None:
    members = await add_members(services, [1])
    later = await engine.create_send(draft(due_at=clock.now() + timedelta(days=2)), members)
    sooner = await engine.create_send(draft(due_at=clock.now() + timedelta(days=1)), members)
    await engine.create_send(draft(kind="reminder", due_at=clock.now() + timedelta(days=1)))
    cancelled = await engine.create_send(draft(due_at=clock.now() + timedelta(days=1)))
    await engine.cancel(cancelled[0])

    listed = await engine.sends(["newsletter"])
    assert [send.id for send in listed] == [sooner[0], later[0]]
