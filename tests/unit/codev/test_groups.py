from dataclasses import replace
from datetime import timedelta

import pytest

from bot.domain.codev.invitations import hash_code
from bot.domain.codev.model import (
    DEFAULT_STEP_MINUTES,
    CodevDenied,
    CodevError,
    MeetingMode,
    Relation,
    SeatStatus,
)
from tests.conftest import ANIMATOR_ID
from tests.unit.codev.conftest import DRAFT, FACILITATOR_ID, MEMBER_IDS, OUTSIDER_ID, World


async def test_a_facilitator_creates_a_group_they_facilitate(world: World) -> None:
    group = world.group
    assert group.facilitator_id == FACILITATOR_ID
    assert group.size_limit == 4 and group.step_minutes == DEFAULT_STEP_MINUTES
    assert await world.codev.groups.relation(FACILITATOR_ID, group) is Relation.FACILITATOR


async def test_a_plain_member_cannot_create_and_is_audited(world: World) -> None:
    with pytest.raises(CodevDenied):
        await world.codev.groups.create(MEMBER_IDS[0], DRAFT)
    entries = await world.services.audit.for_user(MEMBER_IDS[0])
    assert ("codev_create", False) in [(e.action, e.allowed) for e in entries]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"size_limit": 9}, "size"),
        ({"size_limit": 3}, "size"),
        ({"name": "x" * 81}, "too_long"),
        ({"detail": "salle 12"}, "link_expected"),
        ({"charter": "  "}, "empty"),
    ],
)
async def test_group_fields_are_checked(world: World, change: dict, code: str) -> None:
    with pytest.raises(CodevError) as raised:
        await world.codev.groups.create(FACILITATOR_ID, replace(DRAFT, **change))
    assert raised.value.code == code


async def test_a_place_group_takes_an_address(world: World) -> None:
    draft = replace(DRAFT, mode=MeetingMode.PLACE, detail="Préfecture, salle 12")
    group = await world.codev.groups.create(FACILITATOR_ID, draft)
    assert group.detail == "Préfecture, salle 12"


async def test_invitation_codes_are_unguessable_and_only_hashes_are_kept(world: World) -> None:
    code, _, _ = await world.codev.groups.new_invite(FACILITATOR_ID, world.group.id)
    other, _, _ = await world.codev.groups.new_invite(FACILITATOR_ID, world.group.id)
    assert len(code) >= 22 and code != other
    row = await world.services.db.fetchone("SELECT code_hash FROM codev_invites WHERE id = 1")
    assert row["code_hash"] == hash_code(code) and code not in row["code_hash"]


async def test_joining_with_a_code_then_the_charter(world: World) -> None:
    groups = world.codev.groups
    code, _, _ = await groups.new_invite(FACILITATOR_ID, world.group.id)
    group = await groups.use_code(MEMBER_IDS[0], code)
    assert group.id == world.group.id
    assert [g.id for g in await groups.waiting_charters(MEMBER_IDS[0])] == [group.id]
    _, status = await groups.accept_charter(MEMBER_IDS[0], group.id)
    assert status is SeatStatus.MEMBER
    assert await groups.relation(MEMBER_IDS[0], group) is Relation.MEMBER
    assert await groups.waiting_charters(MEMBER_IDS[0]) == []


async def test_charter_without_a_way_in_is_refused_and_audited(world: World) -> None:
    with pytest.raises(CodevDenied):
        await world.codev.groups.accept_charter(OUTSIDER_ID, world.group.id)
    entries = await world.services.audit.for_user(OUTSIDER_ID)
    assert ("codev_charter", False) in [(e.action, e.allowed) for e in entries]


async def test_wrong_expired_and_revoked_codes(world: World) -> None:
    groups = world.codev.groups
    with pytest.raises(CodevError) as wrong:
        await groups.use_code(OUTSIDER_ID, "A" * 22)
    assert wrong.value.code == "code_wrong"
    old, _, _ = await groups.new_invite(FACILITATOR_ID, world.group.id)
    await groups.new_invite(FACILITATOR_ID, world.group.id)  # replaces the old link
    with pytest.raises(CodevError) as revoked:
        await groups.use_code(OUTSIDER_ID, old)
    assert revoked.value.code == "code_revoked"
    code, _, _ = await groups.new_invite(FACILITATOR_ID, world.group.id)
    world.clock.advance(timedelta(days=15))
    with pytest.raises(CodevError) as expired:
        await groups.use_code(OUTSIDER_ID, code)
    assert expired.value.code == "code_expired"


async def test_too_many_wrong_codes_slow_the_person_down(world: World) -> None:
    groups = world.codev.groups
    code, _, _ = await groups.new_invite(FACILITATOR_ID, world.group.id)
    for attempt in range(5):
        world.clock.advance(timedelta(minutes=1))
        with pytest.raises(CodevError):
            await groups.use_code(OUTSIDER_ID, f"wrong-code-number-{attempt:04d}")
    with pytest.raises(CodevError) as slowed:
        await groups.use_code(OUTSIDER_ID, code)  # even the right code waits
    assert slowed.value.code == "slowed" and slowed.value.params["minutes"] == 11
    world.clock.advance(timedelta(minutes=11))
    assert (await groups.use_code(OUTSIDER_ID, code)).id == world.group.id
    rows = await world.services.db.fetchall("SELECT * FROM codev_code_attempts")
    assert len(rows) == 5


async def test_a_full_group_puts_newcomers_on_the_waiting_list(world: World) -> None:
    await world.seat(*MEMBER_IDS[:4])
    code, _, _ = await world.codev.groups.new_invite(FACILITATOR_ID, world.group.id)
    await world.codev.groups.use_code(MEMBER_IDS[4], code)
    _, status = await world.codev.groups.accept_charter(MEMBER_IDS[4], world.group.id)
    assert status is SeatStatus.WAITING
    assert await world.codev.groups.member_ids(world.group.id) == list(MEMBER_IDS[:4])


async def test_a_freed_seat_is_offered_to_the_next_waiting(world: World) -> None:
    groups = world.codev.groups
    await world.seat(*MEMBER_IDS[:6])  # four seats, two waiting
    departure = await groups.leave(MEMBER_IDS[0], world.group.id)
    assert departure.offered_to == MEMBER_IDS[4] and not departure.facilitator_left
    declined = await groups.answer_offer(MEMBER_IDS[4], world.group.id, accept=False)
    assert declined.offered_to == MEMBER_IDS[5]
    await groups.answer_offer(MEMBER_IDS[5], world.group.id, accept=True)
    assert MEMBER_IDS[5] in await groups.member_ids(world.group.id)
    with pytest.raises(CodevError) as gone:
        await groups.answer_offer(MEMBER_IDS[5], world.group.id, accept=True)
    assert gone.value.code == "offer_gone"


async def test_an_unanswered_offer_lapses_to_the_next(world: World) -> None:
    groups = world.codev.groups
    await world.seat(*MEMBER_IDS[:6])
    await groups.remove(FACILITATOR_ID, world.group.id, MEMBER_IDS[0])
    assert await groups.lapse_offer(world.group.id, MEMBER_IDS[4]) is None  # not due yet
    [(group_id, person, due)] = await groups.offers()
    assert (group_id, person) == (world.group.id, MEMBER_IDS[4])
    world.clock.set(due)
    lapsed = await groups.lapse_offer(world.group.id, MEMBER_IDS[4])
    assert lapsed is not None and lapsed.offered_to == MEMBER_IDS[5]
    assert await groups.lapse_offer(world.group.id, MEMBER_IDS[4]) is None  # once


async def test_requests_are_approved_or_refused_by_the_facilitator(world: World) -> None:
    groups = world.codev.groups
    opened = await groups.open_to_requests(OUTSIDER_ID)
    assert [g.id for g in opened] == [world.group.id]
    await groups.request_join(OUTSIDER_ID, world.group.id)
    with pytest.raises(CodevError) as twice:
        await groups.request_join(OUTSIDER_ID, world.group.id)
    assert twice.value.code == "already_requested"
    with pytest.raises(CodevDenied):
        await groups.requests(MEMBER_IDS[0], world.group.id)
    [holder] = await groups.requests(FACILITATOR_ID, world.group.id)
    assert holder.member.user_id == OUTSIDER_ID
    with pytest.raises(CodevDenied):  # the charter waits for the approval
        await groups.accept_charter(OUTSIDER_ID, world.group.id)
    assert await groups.decide(FACILITATOR_ID, world.group.id, OUTSIDER_ID, approve=True)
    assert await groups.decide(FACILITATOR_ID, world.group.id, OUTSIDER_ID, approve=True) is None
    _, status = await groups.accept_charter(OUTSIDER_ID, world.group.id)
    assert status is SeatStatus.MEMBER


async def test_the_facilitator_leaving_leaves_the_group_without_one(world: World) -> None:
    departure = await world.codev.groups.leave(FACILITATOR_ID, world.group.id)
    assert departure.facilitator_left
    group = await world.codev.groups.get(world.group.id)
    assert group.facilitator_id is None
    with pytest.raises(CodevError) as no_one:
        await world.codev.groups.request_join(OUTSIDER_ID, world.group.id)
    assert no_one.value.code == "no_facilitator"
    await world.codev.groups.claim(ANIMATOR_ID, world.group.id)
    with pytest.raises(CodevError):
        await world.codev.groups.claim(FACILITATOR_ID, world.group.id)


async def test_outsiders_and_animators_are_refused_the_same_way_and_audited(world: World) -> None:
    groups = world.codev.groups
    for person in (OUTSIDER_ID, ANIMATOR_ID):
        with pytest.raises(CodevDenied):
            await groups.require(person, world.group.id, Relation.MEMBER, "view")
        with pytest.raises(CodevDenied):
            await groups.require(person, 424242, Relation.MEMBER, "view")
        refusals = [e for e in await world.services.audit.for_user(person) if not e.allowed]
        assert [e.detail for e in refusals] == [f"group:{world.group.id}", "group:424242"]


async def test_binding_needs_a_chat_the_bot_is_in(world: World) -> None:
    groups = world.codev.groups
    with pytest.raises(CodevError):
        await groups.bind_chat(FACILITATOR_ID, world.group.id, -77)
    await world.services.group_chats.record(-77, "Codev DP", True, world.clock.now())
    await groups.bind_chat(FACILITATOR_ID, world.group.id, -77)
    group = await groups.get(world.group.id)
    assert group.chat_id == -77 and await groups.chat_title(group) == "Codev DP"
    with pytest.raises(CodevDenied):
        await groups.bind_chat(MEMBER_IDS[0], world.group.id, -77)


async def test_animators_see_counts_only(world: World) -> None:
    await world.seat(*MEMBER_IDS[:5])
    [stats] = await world.codev.groups.stats()
    assert (stats.members, stats.waiting, stats.sessions_held, stats.attendance) == (4, 1, 0, 0)
    assert stats.has_facilitator


async def test_erasure_frees_the_seat_and_unlinks_the_facilitator(world: World) -> None:
    await world.seat(MEMBER_IDS[0])
    data = await world.services.privacy.export(MEMBER_IDS[0])
    assert data["codev"]["seats"][0]["status"] == "member"
    await world.services.privacy.erase(MEMBER_IDS[0])
    await world.services.privacy.erase(FACILITATOR_ID)
    assert await world.codev.groups.member_ids(world.group.id) == []
    assert (await world.codev.groups.get(world.group.id)).facilitator_id is None
