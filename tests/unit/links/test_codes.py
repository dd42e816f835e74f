"""The /lier code rules: shape, hashing, expiry, single use, wrong tries, who may link."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest

from bot.clock import FrozenClock, to_iso
from bot.domain.links import (
    CODE_VALIDITY,
    MAX_WRONG_TRIES,
    LinkError,
    hash_code,
    new_code,
    normalise,
)
from bot.domain.links.model import ALPHABET
from bot.services import Services
from bot.transports import MATRIX_ID_BASE, Transport
from tests.conftest import register

ZOE = 4_401  # registered on Telegram
TCHAP = MATRIX_ID_BASE + 4_401  # her Matrix account
OTHER_TCHAP = MATRIX_ID_BASE + 77


async def _refused(services: Services, account: int, code: str) -> str:
    with pytest.raises(LinkError) as raised:
        await services.links.link(account, code)
    return raised.value.code


@pytest.fixture
async def zoe(services: Services) -> Services:
    await register(services, ZOE, "Zoé")
    return services


def test_a_code_has_40_bits_and_no_look_alikes() -> None:
    assert len(set(ALPHABET)) == 32 and not set("01OI") & set(ALPHABET)
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", code) for code in codes)


def test_typing_is_forgiving_but_strict_on_the_characters() -> None:
    assert normalise(" k7qm-3xrd ") == normalise("K7QM3XRD") == "K7QM3XRD"
    assert normalise("K7QM 3XRD") == "K7QM3XRD"
    for wrong in ("K7QM-3XR", "K7QM-3XRDD", "K7QM-3XR0", "K7QM-3XRI", "", "é" * 8):
        assert normalise(wrong) is None


async def test_only_the_hash_is_stored_and_the_code_links_once(zoe: Services) -> None:
    services = zoe
    code, _ = await services.links.new_code(ZOE)
    rows = await services.db.fetchall("SELECT * FROM link_codes")
    stored = " ".join(str(value) for row in rows for value in tuple(row))
    assert code not in stored and str(normalise(code)) not in stored
    assert hash_code(str(normalise(code))) in stored
    link = await services.links.link(TCHAP, code.lower().replace("-", ""))
    assert (link.member_id, link.account_id, link.transport) == (ZOE, TCHAP, Transport.MATRIX)
    assert link.messages_to is Transport.TELEGRAM
    assert await services.db.fetchall("SELECT * FROM link_codes") == []  # used up
    await services.links.unlink(ZOE)
    assert await _refused(services, OTHER_TCHAP, code) == "code_wrong"  # single use


async def test_a_code_expires_after_ten_minutes(zoe: Services, clock: FrozenClock) -> None:
    services = zoe
    code, expires = await services.links.new_code(ZOE)
    assert expires == clock.now() + CODE_VALIDITY
    clock.advance(CODE_VALIDITY)
    assert await _refused(services, TCHAP, code) == "code_wrong"
    assert await services.db.fetchall("SELECT * FROM link_codes") == []  # purged
    code, _ = await services.links.new_code(ZOE)
    clock.advance(CODE_VALIDITY - timedelta(seconds=1))
    assert (await services.links.link(TCHAP, code)).member_id == ZOE


async def test_a_new_code_voids_the_previous_one(zoe: Services) -> None:
    services = zoe
    first, _ = await services.links.new_code(ZOE)
    second, _ = await services.links.new_code(ZOE)
    assert await _refused(services, TCHAP, first) == "code_wrong"
    assert (await services.links.link(TCHAP, second)).account_id == TCHAP


async def test_five_wrong_tries_an_hour_then_the_account_waits(
    zoe: Services, clock: FrozenClock
) -> None:
    services = zoe
    code, _ = await services.links.new_code(ZOE)
    for _ in range(MAX_WRONG_TRIES):
        assert await _refused(services, TCHAP, "AAAA-AAAA") == "code_wrong"
        clock.advance(timedelta(minutes=1))
    with pytest.raises(LinkError) as raised:
        await services.links.link(TCHAP, code)  # even the right code: no more guesses
    assert raised.value.code == "slowed" and raised.value.params == {"minutes": 55}
    assert (await services.links.link(OTHER_TCHAP, code)).account_id == OTHER_TCHAP
    await services.links.unlink(ZOE)
    clock.advance(timedelta(minutes=55))
    code, _ = await services.links.new_code(ZOE)
    assert (await services.links.link(TCHAP, code)).account_id == TCHAP
    tries = await services.db.fetchall("SELECT * FROM link_wrong_tries")
    assert len(tries) == MAX_WRONG_TRIES - 1  # the first one, an hour old, is purged
    [audited] = [e for e in await services.audit.recent() if e.detail == "slowed"]
    assert audited.user_id == TCHAP and not audited.allowed


async def test_an_account_of_the_same_messenger_is_refused(zoe: Services) -> None:
    services = zoe
    code, _ = await services.links.new_code(ZOE)
    assert await _refused(services, 5_555, code) == "same_messenger"
    assert await _refused(services, ZOE, code) == "same_messenger"  # her own code
    assert (await services.links.link(TCHAP, code)).account_id == TCHAP  # still valid


async def test_a_member_registered_on_matrix_links_a_telegram_account(
    services: Services,
) -> None:
    await register(services, TCHAP, "Yves")
    code, _ = await services.links.new_code(TCHAP)
    assert await _refused(services, OTHER_TCHAP, code) == "same_messenger"
    link = await services.links.link(6_001, code)
    assert (link.transport, link.home, link.messages_to) == (
        Transport.TELEGRAM,
        Transport.MATRIX,
        Transport.MATRIX,
    )


async def test_no_silent_merge_no_second_link_no_code_for_strangers(zoe: Services) -> None:
    services = zoe
    await register(services, OTHER_TCHAP, "Marc")  # a member with his own history
    code, _ = await services.links.new_code(ZOE)
    assert await _refused(services, OTHER_TCHAP, code) == "own_data"
    await services.links.link(TCHAP, code)
    with pytest.raises(LinkError) as raised:
        await services.links.new_code(ZOE)
    assert raised.value.code == "has_link"
    await register(services, 4_402, "Bruno")
    code, _ = await services.links.new_code(4_402)
    assert await _refused(services, TCHAP, code) == "already_linked"
    with pytest.raises(LinkError) as raised:
        await services.links.new_code(9_999)  # not a member
    assert raised.value.code == "not_member"
    with pytest.raises(LinkError):
        await services.links.send_to(4_402, Transport.MATRIX)  # no link to choose


async def test_links_are_exported_and_erased_with_the_codes_and_tries(zoe: Services) -> None:
    services = zoe
    code, _ = await services.links.new_code(ZOE)
    await _refused(services, TCHAP, "BBBB-BBBB")
    await services.links.link(TCHAP, code)
    await services.links.send_to(ZOE, Transport.MATRIX)
    export = await services.privacy.export(ZOE)
    [link] = export["links"]["links"]
    assert (link["account_id"], link["messages_to"]) == (TCHAP, "matrix")
    assert (await services.privacy.export(TCHAP))["links"]["wrong_codes"]
    await services.privacy.erase(ZOE)
    for table in ("member_links", "link_codes", "link_wrong_tries"):
        assert await services.db.fetchall(f"SELECT * FROM {table}") == []
    assert services.addressing.member_of(TCHAP) == TCHAP
    assert services.addressing.route_of(ZOE) == (Transport.TELEGRAM, ZOE)


async def test_an_unfinished_registration_of_the_account_is_dropped(zoe: Services) -> None:
    services = zoe
    await services.members.accept_privacy(TCHAP, "fr")  # started /start on Tchap, stopped
    code, _ = await services.links.new_code(ZOE)
    await services.links.link(TCHAP, code)
    assert await services.members.get(TCHAP) is None
    assert services.addressing.member_of(TCHAP) == ZOE


async def test_two_accounts_typing_the_same_code_at_once_link_one(zoe: Services) -> None:
    services = zoe
    code, _ = await services.links.new_code(ZOE)
    first, second = await asyncio.gather(
        services.links.link(TCHAP, code),
        services.links.link(OTHER_TCHAP, code),
        return_exceptions=True,
    )
    outcomes = [r.account_id if not isinstance(r, BaseException) else r for r in (first, second)]
    linked = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, LinkError)]
    assert len(linked) == 1 and len(refused) == 1
    assert refused[0].code in {"taken", "code_wrong"}
    assert services.addressing.member_of(linked[0]) == ZOE
    assert len((await services.links.export_personal_data(ZOE))["links"]) == 1


async def test_a_code_whose_member_got_linked_meanwhile_is_refused(
    zoe: Services, clock: FrozenClock
) -> None:
    services = zoe
    code, _ = await services.links.new_code(ZOE)
    await services.db.execute(  # another account won the race: its link is in, the code too
        "INSERT INTO member_links (account_id, member_id, transport, messages_to, linked_at)"
        " VALUES (?, ?, 'matrix', 'telegram', ?)",
        (OTHER_TCHAP, ZOE, to_iso(clock.now())),
    )
    assert await _refused(services, TCHAP, code) == "taken"
