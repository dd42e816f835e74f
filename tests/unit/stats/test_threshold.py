"""k is a setting (``MAILLAGE_ANONYMITY_THRESHOLD``); the digest reads in each language."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.clock import FrozenClock
from bot.config import ConfigError, Settings, load_settings
from bot.domain.stats.model import Metric, Month
from bot.services import Services
from schedules.stats.digest import digest_message
from tests.unit.stats.activity import APRIL_NOON, seed_march


def test_the_threshold_is_read_and_checked() -> None:
    assert load_settings({}, env_file=None).anonymity_threshold == 5
    assert load_settings({"MAILLAGE_ANONYMITY_THRESHOLD": "3"}, None).anonymity_threshold == 3
    for bad in ("0", "101", "trois", "-2", "2.5"):
        with pytest.raises(ConfigError, match="MAILLAGE_ANONYMITY_THRESHOLD"):
            load_settings({"MAILLAGE_ANONYMITY_THRESHOLD": bad}, None)


async def test_a_lower_threshold_shows_smaller_counts(
    settings: Settings, clock: FrozenClock
) -> None:
    services = await Services.open(replace(settings, anonymity_threshold=3), clock)
    try:
        await seed_march(services)
        clock.set(APRIL_NOON)
        cells = (await services.stats.month(Month(2030, 3))).cells
        assert cells[Metric.VISIO_ATTENDED].value == 4  # hidden under k = 5
        assert cells[Metric.CODEV_PARTICIPANTS].value == 3
        assert cells[Metric.MEMBERS_NEW].hidden  # 2 < 3
    finally:
        await services.close()


async def test_the_digest_in_english_with_its_opt_out_button(
    march: Services, clock: FrozenClock
) -> None:
    clock.set(APRIL_NOON)
    figures = await march.stats.month(Month(2030, 3))
    message = digest_message(march.translator("en"), figures, 5)
    [text] = message.parts
    assert "The network in figures — March 2030" in text
    assert "• Active members: 6" in text
    assert "• New members: &lt; 5" in text  # Telegram HTML: shows as « < 5 »
    assert "• Mean satisfaction (out of 5): 4.0 / 5" in text
    assert message.keyboard == {
        "inline_keyboard": [
            [{"text": "🔕 Stop receiving the monthly figures", "callback_data": "pref_out:1:stats"}]
        ]
    }
