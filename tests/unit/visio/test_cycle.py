"""The monthly cycle in the domain: planning, steps, votes, close, reminders, changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FrozenClock
from bot.domain.datetime_input import DateTimeInputError
from bot.domain.visio import (
    DuplicateTopic,
    NoticeKind,
    PollAnswer,
    SessionStatus,
    TopicStatus,
    VisioError,
)
from bot.services import Services
from tests.unit.visio.conftest import run_due_steps

PARIS = ZoneInfo("Europe/Paris")
APRIL_9 = datetime(2030, 4, 9, 12, tzinfo=UTC)  # second Tuesday, 14:00 Paris (CEST)


def paris(*args: int) -> datetime:
    """A Paris wall-clock time (the steps keep the local hour across the DST change)."""
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


def kinds(notices) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.kind.value for n in notices]


async def test_setting_the_slot_plans_the_next_two_sessions(network: Services) -> None:
    upcoming = await network.visio.cycle.upcoming()
    assert [s.starts_at for s in upcoming] == [APRIL_9, datetime(2030, 5, 14, 12, tzinfo=UTC)]
    assert all(s.status is SessionStatus.PLANNED for s in upcoming)
    # planning is idempotent
    assert await network.visio.cycle.plan() == []


async def test_a_whole_cycle_with_backlog_carry_over(network: Services, clock: FrozenClock) -> None:
    visio = network.visio
    clock.set(paris(2030, 3, 19, 14))  # proposals open 21 days before
    notices = await run_due_steps(visio)
    assert kinds(notices) == ["call"]
    assert notices[0].audience == (1, 2, 3, 900) and notices[0].backlog == 0
    first = await visio.topics.propose(1, "Accueil des usagers")
    clock.advance(timedelta(minutes=1))
    second = await visio.topics.propose(2, "Démarches en ligne")
    with pytest.raises(DuplicateTopic) as duplicate:
        await visio.topics.propose(3, "  accueil des USAGERS !")
    assert duplicate.value.existing.id == first.id
    with pytest.raises(VisioError) as no_words:
        await visio.topics.propose(3, "?!…")
    assert no_words.value.code == "empty"

    clock.set(paris(2030, 3, 26, 14))
    notices = await run_due_steps(visio)
    assert kinds(notices) == ["ballot"]  # the check found topics: no warning
    session = notices[0].session
    assert [t.id for t in notices[0].ballot] == [first.id, second.id]
    await visio.ballots.toggle(session.id, 1, second.id)
    await visio.ballots.toggle(session.id, 2, second.id)
    view = await visio.ballots.toggle(session.id, 2, first.id)
    assert view.ticked == {first.id, second.id}
    # A button says what it asks for: a ☐ pressed again on a ballot not redrawn (a crash
    # between the vote and the redraw) keeps the tick; ☑ withdraws it.
    assert (await visio.ballots.toggle(session.id, 2, first.id, tick=True)).ticked == view.ticked
    assert (await visio.ballots.toggle(session.id, 2, first.id, tick=False)).ticked == {second.id}
    assert (await visio.ballots.toggle(session.id, 2, first.id, tick=True)).ticked == view.ticked

    clock.set(APRIL_9 - timedelta(days=7))
    notices = await run_due_steps(visio)
    assert kinds(notices) == ["result"]
    result = notices[0].tally
    assert result is not None and result.winner.id == second.id and result.voters == 2
    assert [c.votes for c in result.ranking] == [2, 1]
    assert notices[0].session.title == "Démarches en ligne"
    assert (await visio.topics.get(first.id)).status is TopicStatus.OPEN  # back to backlog
    with pytest.raises(VisioError) as late:
        await visio.ballots.toggle(session.id, 3, first.id)
    assert late.value.code == "vote_closed"

    await visio.attendance.rsvp(session.id, 3, coming=False)
    clock.set(APRIL_9 - timedelta(days=1))
    notices = await run_due_steps(visio)
    assert kinds(notices) == ["reminder"] and 3 not in notices[0].audience

    clock.set(APRIL_9 - timedelta(hours=1))
    assert kinds(await run_due_steps(visio)) == ["reminder"]
    clock.set(APRIL_9 + timedelta(hours=2))
    notices = await run_due_steps(visio)
    assert kinds(notices) == ["feedback"] and 3 not in notices[0].audience
    await visio.attendance.attend(session.id, 1, attended=True)
    await visio.attendance.attend(session.id, 2, attended=False)
    clock.set(APRIL_9 + timedelta(days=3, hours=2))
    notices = await run_due_steps(visio)
    report = next(n for n in notices if n.kind is NoticeKind.REPORT)
    assert report.audience == (900,)
    assert report.attendance is not None
    assert (report.attendance.attended, report.attendance.no) == (1, 1)

    # the next cycle offers the unchosen topic again
    clock.set(datetime(2030, 4, 30, 12, tzinfo=UTC))  # 14 days before 14 May
    notices = await run_due_steps(visio)
    ballot = next(n for n in notices if n.kind is NoticeKind.BALLOT)
    assert [t.id for t in ballot.ballot] == [first.id]


async def test_an_empty_month_warns_the_animators_and_the_cycle_goes_on(
    network: Services, clock: FrozenClock
) -> None:
    visio = network.visio
    clock.set(paris(2030, 3, 24, 14))
    notices = await run_due_steps(visio)
    assert kinds(notices) == ["call", "empty"]
    assert notices[1].audience == (900,)
    clock.set(paris(2030, 3, 26, 14))
    notices = await run_due_steps(visio)
    assert kinds(notices) == ["no_topic"]
    clock.set(APRIL_9 + timedelta(days=5))
    assert await run_due_steps(visio) == []  # nothing left for April
    sessions = await visio.attendance.history(2030)
    assert sessions[0].session.status is SessionStatus.NO_TOPIC


async def test_steps_missed_while_down_run_once_and_only_the_latest_reminder(
    network: Services, clock: FrozenClock
) -> None:
    visio = network.visio
    await visio.topics.propose(1, "Accueil")
    clock.set(APRIL_9 - timedelta(minutes=30))  # everything up to the hour reminder is due
    notices = await run_due_steps(visio)
    assert kinds(notices) == ["call", "ballot", "result", "reminder"]
    assert await run_due_steps(visio) == []


async def test_poll_answers_replace_the_ballot_and_count_members_only(
    network: Services, clock: FrozenClock
) -> None:
    visio = network.visio
    a = await visio.topics.propose(1, "A")
    b = await visio.topics.propose(1, "B")
    clock.set(paris(2030, 3, 26, 14))
    session = (await run_due_steps(visio))[-1].session
    await visio.cycle.record_poll(session.id, -100, 5, "poll-1")
    await visio.ballots.toggle(session.id, 2, a.id)
    assert await visio.ballots.poll_answer("poll-1", 2, [1]) is PollAnswer.COUNTED
    assert (await visio.ballots.view(session.id, 2)).ticked == {b.id}
    assert await visio.ballots.poll_answer("poll-1", 2, [0, 1]) is PollAnswer.COUNTED
    assert await visio.ballots.poll_answer("poll-1", 4242, [0]) is PollAnswer.NOT_MEMBER
    assert await visio.ballots.poll_answer("other", 2, [0]) is PollAnswer.UNKNOWN_POLL
    clock.set(APRIL_9 - timedelta(days=7))
    assert await visio.ballots.poll_answer("poll-1", 3, [0]) is PollAnswer.CLOSED
    result = (await run_due_steps(visio))[0].tally
    assert result is not None and result.voters == 1
    assert [(c.topic.id, c.votes) for c in result.ranking] == [(a.id, 1), (b.id, 1)]
    assert result.tie and result.winner.id == a.id


async def test_postpone_moves_reminders_and_bumps_the_sequence(
    network: Services, clock: FrozenClock
) -> None:
    visio = network.visio
    await visio.topics.propose(1, "Accueil")
    clock.set(APRIL_9 - timedelta(days=7))
    session = (await run_due_steps(visio))[-1].session
    notices = await visio.cycle.postpone(session.id, "16/04/2030 10:00")
    moved = notices[0].session
    assert notices[0].kind is NoticeKind.POSTPONED and notices[0].previous_start == APRIL_9
    assert moved.starts_at == datetime(2030, 4, 16, 8, tzinfo=UTC) and moved.sequence == 1
    assert moved.ends_at - moved.starts_at == timedelta(hours=2)
    clock.set(APRIL_9 - timedelta(days=1))
    assert await run_due_steps(visio) == []  # the old date's reminders are gone
    clock.set(datetime(2030, 4, 15, 8, tzinfo=UTC))
    assert kinds(await run_due_steps(visio)) == ["reminder"]
    _, ics = await visio.attendance.calendar_file(session.id)
    assert b"SEQUENCE:1" in ics and b"TZID=Europe/Paris:20300416T100000" in ics


async def test_cancel_puts_the_topic_back_and_refuses_votes_and_changes(
    network: Services, clock: FrozenClock
) -> None:
    visio = network.visio
    topic = await visio.topics.propose(1, "Accueil")
    clock.set(paris(2030, 3, 26, 14))
    session = (await run_due_steps(visio))[-1].session
    notices = await visio.cycle.cancel(session.id)
    assert notices[0].kind is NoticeKind.CANCELLED and notices[0].session.sequence == 1
    with pytest.raises(VisioError) as refused:
        await visio.ballots.toggle(session.id, 1, topic.id)
    assert refused.value.code == "cancelled"
    with pytest.raises(VisioError):
        await visio.cycle.cancel(session.id)
    clock.set(APRIL_9 + timedelta(days=4))
    assert await run_due_steps(visio) == []


async def test_oneoff_session_and_bad_dates(network: Services, clock: FrozenClock) -> None:
    visio = network.visio
    with pytest.raises(DateTimeInputError) as past:
        await visio.cycle.create_oneoff("Spécial RGPD", "01/01/2030 10:00")
    assert past.value.code == "past"
    with pytest.raises(VisioError):
        await visio.cycle.create_oneoff("", "20/03/2030 10:00")
    notices = await visio.cycle.create_oneoff("Spécial RGPD", "20/03/2030 10:00")
    assert notices[0].kind is NoticeKind.INVITATION and notices[0].audience == (1, 2, 3, 900)
    assert notices[0].session.starts_at == datetime(2030, 3, 20, 9, tzinfo=UTC)


async def test_moderation_merge_and_reject(network: Services, clock: FrozenClock) -> None:
    topics = network.visio.topics
    a = await topics.propose(1, "Accueil")
    b = await topics.propose(2, "Accueil des publics")
    merged, _target = await topics.merge(b.id, a.id)
    assert merged.status is TopicStatus.MERGED and merged.merged_into == a.id
    with pytest.raises(VisioError):
        await topics.merge(a.id, a.id)
    rejected = await topics.reject(a.id, "Hors sujet")
    assert rejected.status is TopicStatus.REJECTED and rejected.reason == "Hors sujet"
    assert await topics.backlog() == []
    c = await topics.propose(3, "Accueil")  # no longer a duplicate: the old one was rejected
    edited = await topics.edit(c.id, "Accueil en mairie")
    assert edited.title == "Accueil en mairie"


async def test_reminders_and_windows_settings_replan(network: Services, clock: FrozenClock) -> None:
    cycle = network.visio.cycle
    await cycle.set_windows("28 10 5")
    session = (await cycle.upcoming())[0]
    assert session.vote_closes_at == APRIL_9 - timedelta(days=5)
    await cycle.set_reminders("2j")
    with pytest.raises(VisioError):
        await cycle.set_slot("FREQ=MONTHLY;BYDAY=2TU", time(14), 5)


async def test_personal_data_export_and_erasure(network: Services, clock: FrozenClock) -> None:
    visio = network.visio
    topic = await visio.topics.propose(1, "Accueil")
    clock.set(APRIL_9 - timedelta(days=7))
    session = (await run_due_steps(visio))[-1].session
    await visio.attendance.rsvp(session.id, 1, coming=True)
    exported = (await network.privacy.export(1))["visio"]
    assert exported["topics"][0]["title"] == "Accueil"
    assert exported["attendance"][0]["answer"] == "yes"
    await network.privacy.erase(1)
    assert (await visio.topics.get(topic.id)).author_id is None
    assert (await visio.attendance.summary(session.id)).yes == 1  # anonymous count stays
    assert (await network.privacy.export(1))["visio"] == {
        "topics": [],
        "votes": [],
        "attendance": [],
    }


async def test_notices_close_to_the_start_are_urgent(network: Services, clock: FrozenClock) -> None:
    visio = network.visio
    await visio.topics.propose(1, "Accueil")
    clock.set(APRIL_9 - timedelta(days=7))
    session = (await run_due_steps(visio))[-1].session
    clock.set(APRIL_9 - timedelta(days=1))
    assert [n.urgent for n in await run_due_steps(visio)] == [False]
    clock.set(APRIL_9 - timedelta(hours=1))
    assert [n.urgent for n in await run_due_steps(visio)] == [True]
    moved = await visio.cycle.postpone(session.id, "16/04/2030 14:00")
    assert moved[0].urgent  # the old date was an hour away
