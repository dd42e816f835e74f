"""Publishing a month's digest: once only, and never lost to a crash before its send."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.domain.stats.model import CLAIM_LEASE, Month, StatsError
from bot.services import Services
from tests.unit.stats.activity import APRIL_NOON

MARCH = Month(2030, 3)


async def _claim(services: Services) -> None:
    _, token = await services.stats.preview(MARCH)
    await services.stats.claim(MARCH, token)


async def test_a_month_is_published_once(march: Services, clock: FrozenClock) -> None:
    clock.set(APRIL_NOON)
    await _claim(march)
    await march.stats.record_send(MARCH, 1)
    clock.advance(CLAIM_LEASE * 10)
    with pytest.raises(StatsError) as refused:
        await _claim(march)
    assert refused.value.code == "already"


async def test_a_claim_whose_send_never_came_lapses(march: Services, clock: FrozenClock) -> None:
    clock.set(APRIL_NOON)
    await _claim(march)  # then the process dies before the send is created
    with pytest.raises(StatsError) as meanwhile:
        await _claim(march)  # a second confirm while the first may still be sending
    assert meanwhile.value.code == "already"
    clock.advance(CLAIM_LEASE + timedelta(seconds=1))
    await _claim(march)
    await march.stats.record_send(MARCH, 2)
    assert [(d.month, d.send_id) for d in await march.stats.published()] == [(MARCH, 2)]
