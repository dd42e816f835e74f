"""LinkedAddressing: the router's synchronous view, loaded at opening, changed on each commit."""

from __future__ import annotations

from dataclasses import replace

from bot.clock import FrozenClock
from bot.config import Settings
from bot.domain.links import Link, LinkedAddressing
from bot.services import Services
from bot.transports import MATRIX_ID_BASE, Addressing, DirectAddressing, Transport
from tests.conftest import register

ZOE = 4_401
TCHAP = MATRIX_ID_BASE + 4_401
STRANGERS = (12, -100_123, MATRIX_ID_BASE + 5, -(MATRIX_ID_BASE + 5))


def test_without_links_it_answers_like_direct_addressing() -> None:
    addressing: Addressing = LinkedAddressing()
    direct = DirectAddressing()
    for user_id in STRANGERS:
        assert addressing.member_of(user_id) == direct.member_of(user_id)
        assert addressing.route_of(user_id) == direct.route_of(user_id)


def test_a_link_maps_the_account_and_routes_by_the_choice(clock: FrozenClock) -> None:
    link = Link(ZOE, TCHAP, clock.now(), Transport.TELEGRAM)
    addressing = LinkedAddressing([link])
    assert addressing.member_of(TCHAP) == ZOE
    assert addressing.member_of(ZOE) == ZOE
    assert addressing.route_of(ZOE) == (Transport.TELEGRAM, ZOE)
    addressing.put(link.sending_to(Transport.MATRIX))
    assert addressing.route_of(ZOE) == (Transport.MATRIX, TCHAP)
    assert addressing.route_of(TCHAP) == (Transport.MATRIX, TCHAP)
    addressing.drop(link)
    assert addressing.member_of(TCHAP) == TCHAP
    assert addressing.route_of(ZOE) == (Transport.TELEGRAM, ZOE)
    for user_id in STRANGERS:
        assert addressing.route_of(user_id) == DirectAddressing().route_of(user_id)


async def test_the_services_snapshot_follows_each_commit_and_survives_a_restart(
    services: Services, settings: Settings, clock: FrozenClock
) -> None:
    await register(services, ZOE, "Zoé")
    addressing = services.addressing
    code, _ = await services.links.new_code(ZOE)
    await services.links.link(TCHAP, code)
    assert addressing.member_of(TCHAP) == ZOE  # at once, no reload
    await services.links.send_to(ZOE, Transport.MATRIX)
    assert addressing.route_of(ZOE) == (Transport.MATRIX, TCHAP)

    reopened = await Services.open(replace(settings), clock)
    try:
        assert reopened.addressing.member_of(TCHAP) == ZOE
        assert reopened.addressing.route_of(ZOE) == (Transport.MATRIX, TCHAP)
    finally:
        await reopened.close()

    await services.links.send_to(ZOE, Transport.TELEGRAM)
    assert addressing.route_of(ZOE) == (Transport.TELEGRAM, ZOE)
    await services.links.unlink(ZOE)
    assert addressing.member_of(TCHAP) == TCHAP
    assert addressing.route_of(ZOE) == (Transport.TELEGRAM, ZOE)
