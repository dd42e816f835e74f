from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.codev.model import (
    CASE_MAX,
    ActionStatus,
    CodevDenied,
    CodevError,
    GuideMode,
    Relation,
    Rsvp,
    SessionStatus,
)
from bot.domain.datetime_input import DateTimeInputError
from tests.conftest import ANIMATOR_ID
from tests.unit.codev.conftest import FACILITATOR_ID, MEMBER_IDS, OUTSIDER_ID, World

CLIENT = MEMBER_IDS[0]
CASE = "Mon équipe refuse le nouvel outil de suivi. Comment l’embarquer ?"
STARTS = datetime(2030, 3, 12, 13, 0, tzinfo=UTC)


async def scheduled(world: World) -> int:
    await world.seat(*MEMBER_IDS[:4])
    session = await world.codev.sessions.request(CLIENT, world.group.id, CASE)
    await world.codev.sessions.schedule(
        FACILITATOR_ID, session.id, STARTS, "https://visio.example.org/codev"
    )
    return session.id


async def test_a_member_asks_with_a_case_within_the_limit(world: World) -> None:
    await world.seat(CLIENT)
    sessions = world.codev.sessions
    with pytest.raises(CodevError) as long:
        await sessions.request(CLIENT, world.group.id, "x" * (CASE_MAX + 1))
    assert long.value.code == "too_long" and long.value.params["limit"] == CASE_MAX
    session = await sessions.request(CLIENT, world.group.id, "Ligne un\n\nligne   deux")
    assert session.case == "Ligne un ligne deux" and session.status is SessionStatus.REQUESTED
    with pytest.raises(CodevError) as twice:
        await sessions.request(CLIENT, world.group.id, CASE)
    assert twice.value.code == "already_asked"
    with pytest.raises(CodevError) as facilitator:
        await sessions.request(FACILITATOR_ID, world.group.id, CASE)
    assert facilitator.value.code == "facilitator_no_case"


async def test_scheduling_sets_reminders_and_only_the_facilitator_may(world: World) -> None:
    await world.seat(CLIENT)
    sessions = world.codev.sessions
    session = await sessions.request(CLIENT, world.group.id, CASE)
    with pytest.raises(CodevDenied):
        await sessions.schedule(CLIENT, session.id, STARTS, "https://x.org")
    with pytest.raises(CodevError) as link:
        await sessions.schedule(FACILITATOR_ID, session.id, STARTS, "salle 3")
    assert link.value.code == "link_expected"
    done = await sessions.schedule(FACILITATOR_ID, session.id, STARTS, "https://x.org/a")
    assert done.status is SessionStatus.SCHEDULED and done.sequence == 1
    reminders = sorted(await sessions.reminders())
    assert reminders == [
        (session.id, "day", STARTS - timedelta(days=1)),
        (session.id, "hour", STARTS - timedelta(hours=1)),
    ]
    assert await sessions.claim_reminder(session.id, "day") is None  # not due yet
    world.clock.set(STARTS - timedelta(days=1))
    assert (await sessions.claim_reminder(session.id, "day")).id == session.id
    assert await sessions.claim_reminder(session.id, "day") is None  # once
    moved = await sessions.schedule(
        FACILITATOR_ID, session.id, STARTS + timedelta(days=1), "https://x.org/a"
    )
    assert moved.sequence == 2
    assert len(await sessions.reminders()) == 2


async def test_a_quick_time_poll(world: World) -> None:
    await world.seat(*MEMBER_IDS[:2])
    sessions = world.codev.sessions
    session = await sessions.request(CLIENT, world.group.id, CASE)
    with pytest.raises(CodevError) as one:
        await sessions.offer_dates(FACILITATOR_ID, session.id, "12/03 14h")
    assert one.value.code == "date_count"
    with pytest.raises(CodevError) as bad:
        await sessions.offer_dates(FACILITATOR_ID, session.id, "12/03 14h\n31/02 10h")
    assert bad.value.code == "date_line" and bad.value.params["line"] == 2
    assert bad.value.params["reason"].code == "unparseable"
    dates = await sessions.offer_dates(FACILITATOR_ID, session.id, "13/03 10h\n12/03 14h\n")
    assert dates == sorted(dates)
    await sessions.vote(MEMBER_IDS[1], session.id, 2)
    options = await sessions.vote(CLIENT, session.id, 2)
    assert options[1].voters == {CLIENT, MEMBER_IDS[1]}
    options = await sessions.vote(CLIENT, session.id, 2)  # toggled off
    assert options[1].voters == {MEMBER_IDS[1]}
    with pytest.raises(CodevDenied):
        await sessions.vote(OUTSIDER_ID, session.id, 1)
    picked = await sessions.pick_option(FACILITATOR_ID, session.id, 2)
    await sessions.schedule(FACILITATOR_ID, session.id, picked, "https://x.org")
    with pytest.raises(CodevError) as closed:
        await sessions.vote(CLIENT, session.id, 1)
    assert closed.value.code == "poll_closed"


async def test_guided_steps_finish_with_attendance_and_rotation(world: World) -> None:
    session_id = await scheduled(world)
    sessions = world.codev.sessions
    await sessions.rsvp(MEMBER_IDS[1], session_id, Rsvp.YES)
    await sessions.rsvp(MEMBER_IDS[2], session_id, Rsvp.NO)
    await sessions.rsvp(CLIENT, session_id, Rsvp.YES)
    with pytest.raises(CodevError) as no_chat:
        await sessions.start_guide(FACILITATOR_ID, session_id, GuideMode.CHAT)
    assert no_chat.value.code == "no_chat"
    world.clock.set(STARTS)
    running = await sessions.start_guide(FACILITATOR_ID, session_id, GuideMode.PRIVATE)
    assert running.step == 1 and running.step_ends_at == STARTS + timedelta(minutes=10)
    assert await sessions.claim_step_alert(session_id) is None
    world.clock.advance(timedelta(minutes=10))
    assert (await sessions.claim_step_alert(session_id)).step == 1
    assert await sessions.claim_step_alert(session_id) is None
    for step in range(1, 6):
        moved = await sessions.next_step(FACILITATOR_ID, session_id, step)
        assert moved.step == step + 1
    with pytest.raises(CodevError) as stale:
        await sessions.next_step(FACILITATOR_ID, session_id, 5)
    assert stale.value.code == "stale_step"
    held = await sessions.next_step(FACILITATOR_ID, session_id, 6)
    assert held.status is SessionStatus.HELD
    assert await sessions.attendance(session_id) == {CLIENT, MEMBER_IDS[1]}
    assert await sessions.toggle_attendance(FACILITATOR_ID, session_id, MEMBER_IDS[3]) == {
        CLIENT,
        MEMBER_IDS[1],
        MEMBER_IDS[3],
    }
    rotation = await sessions.rotation(world.group.id)
    assert list(rotation.been) == [CLIENT] and rotation.not_yet == list(MEMBER_IDS[1:4])
    [stats] = await world.codev.groups.stats()
    assert (stats.sessions_held, stats.attendance) == (1, 3)


async def test_animators_and_outsiders_cannot_read_a_session(world: World) -> None:
    session_id = await scheduled(world)
    for person in (ANIMATOR_ID, OUTSIDER_ID):
        with pytest.raises(CodevDenied):
            await world.codev.sessions.require(person, session_id, Relation.MEMBER, "session")
        with pytest.raises(CodevDenied):
            await world.codev.sessions.of_group(person, world.group.id)


async def test_action_plan_learnings_and_follow_up(world: World) -> None:
    session_id = await scheduled(world)
    sessions, plans = world.codev.sessions, world.codev.plans
    with pytest.raises(CodevError) as early:
        await plans.begin_plan(CLIENT, session_id)
    assert early.value.code == "plan_too_early"
    world.clock.set(STARTS)
    await sessions.start_guide(FACILITATOR_ID, session_id, GuideMode.PRIVATE)
    for step in range(1, 5):
        await sessions.next_step(FACILITATOR_ID, session_id, step)
    with pytest.raises(CodevDenied):
        await plans.begin_plan(MEMBER_IDS[1], session_id)  # not the client
    await plans.begin_plan(CLIENT, session_id)
    first = await plans.add_action(CLIENT, session_id, "Réunir l’équipe")
    with pytest.raises(DateTimeInputError) as past:
        await plans.date_action(CLIENT, first.id, "01/03/2030")
    assert past.value.code == "past"
    await plans.date_action(CLIENT, first.id, "20/03")
    for number in range(2, 6):
        action = await plans.add_action(CLIENT, session_id, f"Action {number}")
        await plans.date_action(CLIENT, action.id, "1er avril")
    with pytest.raises(CodevError) as full:
        await plans.add_action(CLIENT, session_id, "Une de trop")
    assert full.value.code == "plan_full"
    _, actions = await plans.finish_plan(CLIENT, session_id)
    assert [a.due_on for a in actions][:2] == [date(2030, 3, 20), date(2030, 4, 1)]
    with pytest.raises(CodevError) as learning_early:
        await plans.learn(MEMBER_IDS[1], session_id, "Écouter d’abord")
    assert learning_early.value.code == "learning_too_early"
    await sessions.next_step(FACILITATOR_ID, session_id, 5)
    await plans.learn(MEMBER_IDS[1], session_id, "Écouter d’abord")
    assert [lr.text for lr in await plans.learnings(session_id)] == ["Écouter d’abord"]
    [(_, due)] = await plans.followups()
    assert due == STARTS + timedelta(weeks=4)
    assert await plans.claim_followup(session_id) is None
    world.clock.set(due)
    assert (await plans.claim_followup(session_id)).id == session_id
    for action in actions[:-1]:
        await plans.record_status(CLIENT, action.id, ActionStatus.DONE)
    assert not await plans.complete_followup(session_id)
    await plans.record_status(CLIENT, actions[-1].id, ActionStatus.DROPPED)
    noted = await plans.note(CLIENT, actions[-1].id, "Plus d’actualité")
    assert noted.note == "Plus d’actualité" and noted.status is ActionStatus.DROPPED
    assert await plans.complete_followup(session_id)
    assert not await plans.complete_followup(session_id)


async def test_follow_up_comes_before_the_next_session(world: World) -> None:
    session_id = await scheduled(world)
    sessions, plans = world.codev.sessions, world.codev.plans
    world.clock.set(STARTS)
    await sessions.start_guide(FACILITATOR_ID, session_id, GuideMode.PRIVATE)
    for step in range(1, 7):
        await sessions.next_step(FACILITATOR_ID, session_id, step)
    await plans.begin_plan(CLIENT, session_id)
    action = await plans.add_action(CLIENT, session_id, "Réunir l’équipe")
    await plans.date_action(CLIENT, action.id, "20/03")
    await plans.finish_plan(CLIENT, session_id)
    second = await sessions.request(MEMBER_IDS[1], world.group.id, CASE)
    next_start = STARTS + timedelta(weeks=2)
    await sessions.schedule(FACILITATOR_ID, second.id, next_start, "https://x.org")
    [(_, due)] = await plans.followups()
    assert due == next_start - timedelta(days=1)


async def test_erasing_a_client_keeps_counts_but_drops_the_case(world: World) -> None:
    session_id = await scheduled(world)
    sessions = world.codev.sessions
    await sessions.rsvp(CLIENT, session_id, Rsvp.YES)
    world.clock.set(STARTS)
    await sessions.start_guide(FACILITATOR_ID, session_id, GuideMode.PRIVATE)
    for step in range(1, 7):
        await sessions.next_step(FACILITATOR_ID, session_id, step)
    exported = await world.services.privacy.export(CLIENT)
    assert exported["codev"]["cases"][0]["case_text"] == CASE
    await world.services.privacy.erase(CLIENT)
    session = await sessions.get(session_id)
    assert session.case == "" and session.client_id is None
    [stats] = await world.codev.groups.stats()
    assert (stats.sessions_held, stats.attendance) == (1, 1)
