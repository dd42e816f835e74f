"""Retention: the cutoff, the daily due time, and a purge across every category.

The scenario seeds a network through the real services in the spring of 2030 (old),
again 24 months later (recent), then moves the frozen clock one more month: the cutoff
falls between the two, so exactly the old rows go and the aggregates stay.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta

from bot.clock import FrozenClock, to_iso
from bot.config import ConfigError, Settings, load_settings
from bot.delivery import DeliveryState, Failed
from bot.domain.codev.model import GroupDraft, MeetingMode
from bot.domain.diagnostic.model import Campaign, CampaignRequest
from bot.domain.diagnostic.results import Results
from bot.domain.members import Role
from bot.domain.newsletter.model import BroadcastKind
from bot.domain.retention import PurgeReport, next_run, retention_cutoff
from bot.services import Services
from schedules import default_registry
from schedules.retention import RETENTION_JOB
from tests.conftest import ANIMATOR_ID, register
from tests.unit.delivery.conftest import FakeSender
from tests.unit.delivery.helpers import draft
from tests.unit.diagnostic.conftest import answer_satisfaction
from tests.unit.visio.conftest import run_due_steps

PARIS = ZoneInfo("Europe/Paris")
MEMBERS = (1, 2, 3, 4, 5, 6)
FACILITATOR = 500
NEWCOMER = 77
GROUP = GroupDraft(
    name="Directeurs de projet",
    theme="Conduite du changement",
    size_limit=4,
    mode=MeetingMode.VIDEO,
    detail="https://visio.example.org/codev",
    charter="Ce qui se dit dans le groupe reste dans le groupe.",
)
# Every table a purge may touch, with a column that tells its rows apart.
TABLES = {
    "deliveries": "id",
    "sends": "id",
    "audit_log": "id",
    "consent_refusals": "id",
    "conversation_states": "key",
    "codev_inputs": "user_id",
    "visio_inputs": "user_id",
    "project_inputs": "user_id",
    "newsletter_drafts": "user_id",
    "diagnostic_drafts": "user_id",
    "codev_code_attempts": "id",
    "directory_imports": "user_id",
    "codev_invites": "id",
    "diagnostic_responses": "id",
    "diagnostic_audience": "id",
    "diagnostic_answers": "response_id",
    "visio_topics": "id",
    "visio_ballot": "topic_id",
    "visio_votes": "user_id",
    "faq_inputs": "user_id",
    "faq_questions": "id",
}


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


# -- the cutoff and the due time ------------------------------------------------------------


def test_the_cutoff_is_calendar_months_back_in_utc() -> None:
    assert retention_cutoff(datetime(2032, 5, 15, 9, tzinfo=UTC), 24) == datetime(
        2030, 5, 15, 9, tzinfo=UTC
    )
    # The end of a longer month lands on the end of the shorter one (leap year here).
    assert retention_cutoff(datetime(2032, 3, 31, 12, tzinfo=UTC), 1) == datetime(
        2032, 2, 29, 12, tzinfo=UTC
    )
    # An instant given in another zone is the same instant.
    assert retention_cutoff(paris(2032, 1, 1, 0, 30), 12) == datetime(
        2030, 12, 31, 23, 30, tzinfo=UTC
    )
    with pytest.raises(ValueError, match="at least one month"):
        retention_cutoff(datetime(2032, 1, 1, tzinfo=UTC), 0)


async def test_an_explicit_period_of_zero_months_is_refused(services: Services) -> None:
    with pytest.raises(ValueError, match="at least one month"):
        await services.retention.preview(0)
    assert (await services.retention.preview(6)).cutoff == services.clock.now() - relativedelta(
        months=6
    )


def test_the_purge_runs_at_half_past_three_network_time() -> None:
    assert next_run(datetime(2030, 3, 5, 9, tzinfo=UTC), PARIS) == paris(2030, 3, 6, 3, 30)
    assert paris(2030, 3, 6, 3, 30) == datetime(2030, 3, 6, 2, 30, tzinfo=UTC)  # CET
    # Strictly after: at 03:30 itself, the next one is the day after.
    assert next_run(paris(2030, 3, 6, 3, 30), PARIS) == paris(2030, 3, 7, 3, 30)
    assert next_run(paris(2030, 3, 6, 3, 29), PARIS) == paris(2030, 3, 6, 3, 30)
    # Across the spring change (31 March 2030) it stays 03:30 on the wall clock.
    assert next_run(paris(2030, 3, 30, 12), PARIS) == datetime(2030, 3, 31, 1, 30, tzinfo=UTC)


# -- configuration --------------------------------------------------------------------------


def test_retention_months_default_to_24_and_are_read() -> None:
    assert load_settings({}, env_file=None).retention_months == 24
    settings = load_settings({"MAILLAGE_RETENTION_MONTHS": " 36 "}, env_file=None)
    assert settings.retention_months == 36


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "deux", "", "1201", "99999"])
def test_bad_retention_months_stop_with_one_clear_line(value: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings({"MAILLAGE_RETENTION_MONTHS": value}, env_file=None)
    assert str(error.value) == (
        "MAILLAGE_RETENTION_MONTHS: months personal data is kept, a whole number from 1 to 1200"
        f" (got {value!r})"
    )


# -- the purge ------------------------------------------------------------------------------


@pytest.fixture
async def faked(settings: Settings, clock: FrozenClock) -> AsyncIterator[Services]:
    """Services whose delivery engine sends through a fake (chat 3 refuses messages)."""
    sender = FakeSender()
    sender.script[3] = [Failed("Bad Request: chat not found")] * 10
    opened = await Services.open(settings, clock, sender)
    yield opened
    await opened.close()


async def snapshot(services: Services) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table a purge may touch."""
    found = {}
    for table, key in TABLES.items():
        rows = await services.db.fetchall(f"SELECT * FROM {table} ORDER BY {key}")
        found[table] = [tuple(row) for row in rows]
    return found


def comparable(results: Results) -> Results:
    """The results with their free texts sorted (they come out shuffled)."""
    questions = tuple(replace(q, texts=tuple(sorted(q.texts))) for q in results.questions)
    return replace(results, questions=questions)


async def column(services: Services, sql: str) -> list[object]:
    return [row[0] for row in await services.db.fetchall(sql)]


async def campaign(services: Services, clock: FrozenClock, scores: dict[int, int]) -> Campaign:
    """A named satisfaction campaign of a week to every member, answered, then closed."""
    now = clock.now()
    request = CampaignRequest(
        "satisfaction", now, now + timedelta(days=7), members=MEMBERS, anonymous=False
    )
    created = await services.diagnostics.campaigns.create(request)
    assert await services.diagnostics.campaigns.open(created.id) is not None
    for user_id, score in scores.items():
        await answer_satisfaction(services, created, user_id, score, comment=f"Avis {user_id}")
    clock.advance(timedelta(days=7))
    closed = await services.diagnostics.campaigns.close(created.id)
    assert closed is not None
    return closed


async def send_to_members(services: Services, clock: FrozenClock) -> int:
    """A newsletter to members 1–3, delivered (2 sent, 1 failed) and finished."""
    send_id, _ = await services.deliveries.create_send(draft(), [1, 2, 3])
    report = await services.deliveries.run(send_id)
    assert report is not None and report.counts[DeliveryState.SENT] == 2
    return send_id


async def inputs_and_refusals(services: Services, user_id: int, author: int) -> None:
    """One pending input of each kind (a checked import too), a state, refusals."""
    await services.codev.remember(user_id, "case")
    await services.visio.expect_input(user_id, "title")
    await services.faq.expect(user_id, "ask")
    await services.faq.ask(user_id, "fr", f"Question {user_id} ?")
    await services.projects.expect_input(user_id, "title")
    await services.newsletters.add_text(author, BroadcastKind.NEWSLETTER, f"Brouillon {user_id}")
    await services.diagnostics.campaigns.start_draft(author, "satisfaction")
    await services.conversations.save("onboarding", (user_id, user_id), "name")
    await services.members.refuse_privacy(NEWCOMER + user_id)
    assert await services.members.authorise(user_id, Role.ANIMATOR, "visio_settings") is None
    await services.directory.check_import(author, "a.csv", b"Structure;Territoire\nA;B\n")


async def seed_old(services: Services, clock: FrozenClock) -> dict[str, object]:
    """Spring 2030: sends, a campaign, a visio cycle with its ballot, inputs, codes."""
    for user_id in MEMBERS:
        await register(services, user_id, f"Membre {user_id}")
    await register(services, ANIMATOR_ID, "Anne")
    await register(services, FACILITATOR, "Fanny")
    await services.members.force_role(FACILITATOR, Role.FACILITATOR)
    send_id = await send_to_members(services, clock)
    old_campaign = await campaign(services, clock, {u: 1 + u % 5 for u in (1, 2, 3, 4, 5)})
    await inputs_and_refusals(services, 1, ANIMATOR_ID)

    group = await services.codev.groups.create(FACILITATOR, GROUP)
    await services.codev.groups.new_invite(FACILITATOR, group.id)  # expires unused
    with pytest.raises(Exception):  # noqa: B017, PT011 - the refusal itself is not the point
        await services.codev.groups.use_code(4, "not-a-code")

    visio = services.visio
    await visio.cycle.set_slot("FREQ=MONTHLY;BYDAY=2TU", time(14), 120)
    clock.set(paris(2030, 3, 19, 14))
    await run_due_steps(visio)
    winner = await visio.topics.propose(1, "Accueil des usagers")
    loser = await visio.topics.propose(2, "Démarches en ligne")
    clock.set(paris(2030, 3, 26, 14))
    [ballot] = [n for n in await run_due_steps(visio) if n.kind.value == "ballot"]
    await visio.ballots.toggle(ballot.session.id, 1, winner.id)
    await visio.ballots.toggle(ballot.session.id, 2, winner.id)
    await visio.ballots.toggle(ballot.session.id, 3, loser.id)
    late = await visio.topics.propose(3, "Numérique responsable")  # never on a ballot
    refused = await visio.topics.propose(4, "Hors sujet")
    await visio.topics.reject(refused.id, "hors du périmètre")
    twin = await visio.topics.propose(5, "Numérique sobre")
    await visio.topics.merge(twin.id, late.id)
    clock.set(paris(2030, 4, 2, 14, 1))
    await run_due_steps(visio)  # the vote closes: the winner is chosen, the loser back
    return {
        "send": send_id,
        "campaign": old_campaign,
        "kept_topics": {winner.id, loser.id},
        "gone_topics": {late.id, refused.id, twin.id},
    }


async def seed_recent(services: Services, clock: FrozenClock) -> dict[str, object]:
    """Two years later: the same kinds of rows again."""
    clock.set(paris(2032, 4, 15, 10))
    send_id = await send_to_members(services, clock)
    recent_campaign = await campaign(services, clock, {u: 5 for u in (1, 2, 3, 4, 5)})
    await inputs_and_refusals(services, 2, FACILITATOR)
    topic = await services.visio.topics.propose(6, "Tiers-lieux")
    return {"send": send_id, "campaign": recent_campaign, "topic": topic.id}


async def test_a_purge_takes_exactly_what_is_older_than_the_cutoff(
    faked: Services, clock: FrozenClock
) -> None:
    services = faked
    old = await seed_old(services, clock)
    before_old = await snapshot(services)
    recent = await seed_recent(services, clock)
    old_campaign, recent_campaign = old["campaign"], recent["campaign"]
    assert isinstance(old_campaign, Campaign) and isinstance(recent_campaign, Campaign)
    old_report = await services.deliveries.report(old["send"])
    old_results = await services.diagnostics.results(old_campaign)
    assert old_results.visible and old_results.respondents == 5
    votes = await column(services, "SELECT votes FROM visio_ballot ORDER BY topic_id")
    assert sorted(votes) == [1, 2]

    clock.set(paris(2032, 5, 15, 10))
    retention = services.retention
    assert retention.cutoff() == paris(2030, 5, 15, 10)
    untouched = await snapshot(services)

    preview = await retention.preview()

    assert preview.dry_run and preview.cutoff == paris(2030, 5, 15, 10)
    assert await snapshot(services) == untouched  # a dry run changes nothing
    old_audit = len(before_old["audit_log"])
    assert old_audit >= 1
    assert preview.counts == {
        "deliveries": 3,
        "audit_log": old_audit,
        "consent_refusals": 1,
        "conversation_states": 1,
        "codev_inputs": 1,
        "visio_inputs": 1,
        "project_inputs": 1,
        "newsletter_drafts": 1,
        "diagnostic_drafts": 1,
        "codev_code_attempts": 1,
        "directory_imports": 1,
        "codev_invites": 1,
        "diagnostic_responses": 5,
        "diagnostic_audience": 6,
        "visio_votes": 3,
        "visio_topics": 3,
        "faq_inputs": 1,
        "faq_questions": 1,
    }

    report = await retention.purge()

    assert report.counts == preview.counts and not report.dry_run
    after = await snapshot(services)
    # Recent rows all stay, exactly as they were.
    for table in TABLES:
        kept = [row for row in untouched[table] if row not in before_old[table]]
        assert all(row in after[table] for row in kept), table
    # Old rows: gone where deleted; unlinked where anonymised.
    for table in (
        "deliveries",
        "audit_log",
        "consent_refusals",
        "conversation_states",
        "codev_inputs",
        "visio_inputs",
        "project_inputs",
        "newsletter_drafts",
        "diagnostic_drafts",
        "codev_code_attempts",
        "directory_imports",
        "codev_invites",
        "visio_votes",
    ):
        assert not set(before_old[table]) & set(after[table]), table
    responses = await services.db.fetchall(
        "SELECT campaign_id, user_id FROM diagnostic_responses ORDER BY id"
    )
    assert {r["user_id"] for r in responses if r["campaign_id"] == old_campaign.id} == {None}
    assert {r["user_id"] for r in responses if r["campaign_id"] == recent_campaign.id} == {
        1,
        2,
        3,
        4,
        5,
    }
    audience = await column(
        services, f"SELECT user_id FROM diagnostic_audience WHERE campaign_id = {old_campaign.id}"
    )
    assert audience == [None] * 6
    topics = set(await column(services, "SELECT id FROM visio_topics"))
    assert old["kept_topics"] <= topics and recent["topic"] in topics
    assert not topics & old["gone_topics"]

    # Aggregates survive: the old send's report, the campaign's results, the vote counts.
    assert await services.deliveries.report(old["send"]) == old_report
    assert old_report is not None and old_report.counts[DeliveryState.FAILED] == 1
    after_results = await services.diagnostics.results(old_campaign)
    assert comparable(after_results) == comparable(old_results)
    texts = sorted(text for q in after_results.questions for text in q.texts)
    assert texts == [f"Avis {u}" for u in (1, 2, 3, 4, 5)]
    assert await services.diagnostics.export_rows(old_campaign) == []  # nobody named any more
    assert sorted(await column(services, "SELECT votes FROM visio_ballot")) == [1, 2]
    assert (await services.diagnostics.results(recent_campaign)).respondents == 5

    # A second purge finds nothing; the run is recorded each time.
    again = await retention.purge()
    assert again.total == 0 and set(again.counts) == set(report.counts)
    runs = await services.db.fetchall("SELECT trigger, counts FROM retention_runs ORDER BY id")
    assert [r["trigger"] for r in runs] == ["command", "command"]


async def test_a_purged_send_keeps_its_report(faked: Services, clock: FrozenClock) -> None:
    services = faked
    for user_id in (1, 2, 3):
        await register(services, user_id, f"Membre {user_id}")
    send_id = await send_to_members(services, clock)
    before = await services.deliveries.report(send_id)
    clock.advance(relativedelta(months=25))
    assert (await services.retention.purge()).counts["deliveries"] == 3
    assert await services.deliveries.resend(send_id) == 0  # nothing left to send again
    assert await services.deliveries.report(send_id) == before
    assert (await services.retention.purge()).counts["deliveries"] == 0
    assert await services.deliveries.report(send_id) == before


async def test_unfinished_sends_and_open_campaigns_are_left_alone(
    faked: Services, clock: FrozenClock
) -> None:
    services = faked
    for user_id in MEMBERS:
        await register(services, user_id, f"Membre {user_id}")
    scheduled, _ = await services.deliveries.create_send(
        draft(due_at=clock.now() + timedelta(days=900)), [1, 2]
    )
    now = clock.now()
    request = CampaignRequest("satisfaction", now, now + timedelta(days=1000), members=MEMBERS)
    created = await services.diagnostics.campaigns.create(request)
    await services.diagnostics.campaigns.open(created.id)
    await answer_satisfaction(services, created, 1, 4)
    clock.advance(timedelta(days=800))
    report = await services.retention.purge()
    assert report.counts["deliveries"] == 0 and report.counts["diagnostic_responses"] == 0
    assert (await services.deliveries.report(scheduled)).total == 2


async def test_conversation_states_from_before_retention_age_from_the_first_purge(
    services: Services, clock: FrozenClock
) -> None:
    await services.conversations.save("onboarding", (5, 5), "name")
    await services.db.execute("UPDATE conversation_states SET updated_at = NULL")  # older schema
    clock.advance(relativedelta(months=30))
    assert (await services.retention.preview()).counts["conversation_states"] == 0
    assert (await services.retention.purge()).counts["conversation_states"] == 0
    clock.advance(relativedelta(months=24, days=1))
    assert (await services.retention.purge()).counts["conversation_states"] == 1
    assert await services.conversations.load("onboarding") == {}


# -- the daily job --------------------------------------------------------------------------


async def test_the_daily_purge_is_due_at_0330_and_runs_once_per_day(
    services: Services, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    assert RETENTION_JOB in default_registry().kinds
    installed = clock.now()  # the schema step was applied now
    first = paris(2030, 3, 6, 3, 30)
    assert await services.retention.next_due() == next_run(installed, PARIS) == first
    assert await services.retention.run_daily() is None  # not due yet

    clock.set(first)
    caplog.set_level("INFO", logger="bot.domain.retention")
    report = await services.retention.run_daily()
    assert isinstance(report, PurgeReport) and report.total == 0
    assert "retention purge: deliveries=0, audit_log=0" in caplog.text
    assert await services.retention.run_daily() is None  # once per day
    assert await services.retention.next_due() == paris(2030, 3, 7, 3, 30)

    # Down for ten days: one catch-up run, then the next 03:30.
    clock.set(paris(2030, 3, 17, 12))
    assert await services.retention.run_daily() is not None
    assert await services.retention.run_daily() is None
    assert await services.retention.next_due() == paris(2030, 3, 18, 3, 30)
    runs = await services.db.fetchall("SELECT ran_at, trigger FROM retention_runs ORDER BY id")
    assert [(r["ran_at"], r["trigger"]) for r in runs] == [
        (to_iso(first), "daily"),
        (to_iso(paris(2030, 3, 17, 12)), "daily"),
    ]
