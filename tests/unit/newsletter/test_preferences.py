"""Members' broadcast preferences: per kind, quiet hours, and /stop above them."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.clock import FrozenClock
from bot.delivery import Content, Draft, Message, QuietHours
from bot.domain.newsletter.model import BroadcastKind, NewsletterError
from bot.domain.newsletter.preferences import QUIET_PRESETS, preset_of
from bot.services import Services
from tests.unit.newsletter.conftest import DROME

LETTER = BroadcastKind.NEWSLETTER
REMINDER = BroadcastKind.REMINDER


async def test_choices_per_kind_are_kept_under_stop_and_apply_again_on_resume(
    network: Services,
) -> None:
    preferences = network.newsletters.preferences
    start = await preferences.get(1)
    assert (start.subscribed, start.wants(LETTER), start.wants(REMINDER)) == (True, True, True)
    after = await preferences.set_wanted(1, LETTER, False)
    assert (after.wants(LETTER), after.wants(REMINDER)) == (False, True)

    await network.members.set_subscribed(1, False)  # /stop
    stopped = await preferences.get(1)
    assert (stopped.subscribed, stopped.wants(LETTER), stopped.wants(REMINDER)) == (
        False,
        False,
        True,
    )

    resumed = await preferences.resume(1)
    assert (resumed.subscribed, resumed.wants(LETTER), resumed.wants(REMINDER)) == (
        True,
        False,
        True,
    )


async def test_quiet_hours_come_from_presets_only(network: Services) -> None:
    preferences = network.newsletters.preferences
    chosen = await preferences.set_quiet(1, "21-7")
    assert chosen.quiet == QuietHours(time(21), time(7)) and preset_of(chosen.quiet) == "21-7"
    with pytest.raises(NewsletterError, match="unknown_preset"):
        await preferences.set_quiet(1, "0-24")
    assert (await preferences.get(1)).quiet == QUIET_PRESETS["21-7"]
    assert (await preferences.set_quiet(1, None)).quiet is None
    assert preset_of(QuietHours(time(1), time(2))) is None


async def test_the_engine_follows_the_preferences(network: Services, clock: FrozenClock) -> None:
    preferences = network.newsletters.preferences
    await preferences.set_wanted(1, REMINDER, False)
    await preferences.set_quiet(2, "20-8")
    await network.members.set_subscribed(3, False)
    clock.set(datetime(2030, 3, 5, 21, 30, tzinfo=UTC))  # 22:30 in Paris
    content = Content({"fr": Message(("Rappel",))})

    _, audience = await network.deliveries.create_send(
        Draft("reminder", "reminder", content), DROME
    )

    assert (audience.eligible, audience.deferred) == (1, 1)
    assert audience.skipped == {"opted_out": 1, "unsubscribed": 1}
