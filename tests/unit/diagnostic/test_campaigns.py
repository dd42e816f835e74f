from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.domain.diagnostic.model import (
    CampaignRequest,
    CampaignStatus,
    DiagnosticError,
    ReminderPlan,
    reminder_times,
)
from bot.domain.segments import Segment, SegmentField
from bot.services import Services
from tests.unit.diagnostic.conftest import MEMBERS, answer_satisfaction, launch

PARIS = ZoneInfo("Europe/Paris")


def test_reminder_plans_fall_inside_the_campaign() -> None:
    opens = datetime(2030, 3, 1, 8, 0, tzinfo=UTC)
    closes = datetime(2030, 3, 15, 16, 0, tzinfo=UTC)  # 17:00 in Paris
    assert reminder_times(ReminderPlan.NONE, opens, closes, PARIS) == []
    assert reminder_times(ReminderPlan.DAY_BEFORE, opens, closes, PARIS) == [
        datetime(2030, 3, 14, 16, 0, tzinfo=UTC)
    ]
    assert reminder_times(ReminderPlan.THREE_DAYS_AND_MORNING, opens, closes, PARIS) == [
        datetime(2030, 3, 12, 16, 0, tzinfo=UTC),
        datetime(2030, 3, 15, 8, 0, tzinfo=UTC),  # 9:00 in Paris on the closing day
    ]
    early = datetime(2030, 3, 15, 6, 0, tzinfo=UTC)  # closes at 7:00: the morning before
    assert reminder_times(ReminderPlan.THREE_DAYS_AND_MORNING, opens, early, PARIS)[-1] == (
        datetime(2030, 3, 14, 8, 0, tzinfo=UTC)
    )
    short = datetime(2030, 3, 2, 16, 0, tzinfo=UTC)
    assert reminder_times(ReminderPlan.THREE_DAYS, opens, short, PARIS) == []


def test_reminders_keep_the_local_time_across_a_daylight_saving_change() -> None:
    opens = datetime(2030, 3, 20, 8, 0, tzinfo=UTC)
    closes = datetime(2030, 4, 2, 15, 0, tzinfo=UTC)  # Tuesday 17:00 in Paris (summer time)
    three_days, morning = reminder_times(ReminderPlan.THREE_DAYS_AND_MORNING, opens, closes, PARIS)
    assert three_days.astimezone(PARIS).strftime("%a %d %H:%M") == "Sat 30 17:00"
    assert three_days == datetime(2030, 3, 30, 16, 0, tzinfo=UTC)  # still winter time
    assert morning.astimezone(PARIS).strftime("%a %d %H:%M") == "Tue 02 09:00"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"questionnaire_id": "nope"}, "unknown_questionnaire"),
        ({"closes_at": datetime(2030, 3, 5, 8, 0, tzinfo=UTC)}, "closes_before_opens"),
        ({"members": ()}, "no_members"),
        ({"threshold": 0}, "bad_threshold"),
        ({"previous_id": 99}, "unknown_previous"),
    ],
)
async def test_requests_are_checked(network: Services, clock: FrozenClock, fields, code) -> None:
    now = clock.now()
    request = {
        "questionnaire_id": "satisfaction",
        "opens_at": now,
        "closes_at": now + timedelta(days=1),
        "members": MEMBERS,
        **fields,
    }
    with pytest.raises(DiagnosticError) as refused:
        await network.diagnostics.campaigns.create(CampaignRequest(**request))
    assert refused.value.code == code


async def test_a_closing_time_already_past_is_refused(network: Services, clock: FrozenClock):
    past = clock.now() - timedelta(hours=2)
    request = CampaignRequest("satisfaction", past, past + timedelta(hours=1), members=MEMBERS)
    with pytest.raises(DiagnosticError, match="closes_in_past"):
        await network.diagnostics.campaigns.create(request)


async def test_a_wave_follows_a_campaign_of_the_same_questionnaire(
    network: Services, clock: FrozenClock
) -> None:
    first = await launch(network, clock)
    second = await launch(network, clock, previous_id=first.id)
    assert (first.wave, second.wave, second.previous_id) == (1, 2, first.id)
    with pytest.raises(DiagnosticError, match="previous_mismatch"):
        await launch(network, clock, "network_diagnosis", previous_id=first.id)


async def test_opening_resolves_the_segment_once_and_only_when_due(
    network: Services, clock: FrozenClock
) -> None:
    campaigns = network.diagnostics.campaigns
    now = clock.now()
    later = CampaignRequest(
        "satisfaction",
        now + timedelta(hours=1),
        now + timedelta(days=2),
        segment=Segment(SegmentField.TERRITORY, "Ardèche"),
    )
    campaign = await campaigns.create(later)
    assert campaign.status is CampaignStatus.SCHEDULED
    assert await campaigns.open(campaign.id) is None  # not yet
    clock.advance(timedelta(hours=1))
    mailing = await campaigns.open(campaign.id)
    assert mailing is not None and mailing.members == [5, 6]
    assert mailing.campaign.status is CampaignStatus.OPEN
    again = await campaigns.open(campaign.id)  # invitation never recorded (crash): again
    assert again is not None and again.members == [5, 6]
    await campaigns.invited(campaign.id, 41)
    assert await campaigns.open(campaign.id) is None
    assert await campaigns.due_openings() == []


async def test_a_campaign_missed_entirely_is_closed_without_inviting(
    network: Services, clock: FrozenClock
) -> None:
    campaigns = network.diagnostics.campaigns
    now = clock.now()
    request = CampaignRequest(
        "satisfaction", now + timedelta(hours=1), now + timedelta(hours=2), members=MEMBERS
    )
    campaign = await campaigns.create(request)
    clock.advance(timedelta(hours=3))
    assert await campaigns.open(campaign.id) is None
    closed = await campaigns.close(campaign.id)
    assert closed is not None and closed.status is CampaignStatus.CLOSED
    assert await campaigns.close(campaign.id) is None  # idempotent


async def test_closing_waits_for_the_deadline(network: Services, clock: FrozenClock) -> None:
    campaign = await launch(network, clock)
    campaigns = network.diagnostics.campaigns
    assert await campaigns.close(campaign.id) is None
    assert await campaigns.due_closings() == [(campaign.id, campaign.closes_at)]
    clock.set(campaign.closes_at)
    assert (await campaigns.close(campaign.id)).closed_at == campaign.closes_at
    assert await campaigns.due_closings() == []


async def test_participation_and_who_has_not_finished(network: Services, clock: FrozenClock):
    campaign = await launch(network, clock, anonymous=False)
    await answer_satisfaction(network, campaign, 1, 4)
    await network.diagnostics.answering.begin(campaign.id, 2)
    campaigns = network.diagnostics.campaigns
    participation = await campaigns.participation(campaign.id)
    assert (participation.invited, participation.completed, participation.in_progress) == (6, 1, 1)
    assert participation.not_finished == 5 and round(participation.rate, 3) == 0.167
    assert (await campaigns.not_finished(campaign.id)).members == [2, 3, 4, 5, 6]
    assert await campaigns.not_finished_names(campaign.id) == [f"Membre {i}" for i in range(2, 7)]


async def test_names_are_never_given_for_an_anonymous_campaign(network: Services, clock):
    campaign = await launch(network, clock, anonymous=True)
    with pytest.raises(DiagnosticError, match="anonymous"):
        await network.diagnostics.campaigns.not_finished_names(campaign.id)


async def test_reminders_go_to_non_finishers_once_and_only_the_latest_after_downtime(
    network: Services, clock: FrozenClock
) -> None:
    campaigns = network.diagnostics.campaigns
    campaign = await launch(network, clock, days=5, reminders=ReminderPlan.THREE_DAYS_AND_MORNING)
    await answer_satisfaction(network, campaign, 3, 5)
    (first, first_at), (second, second_at) = await campaigns.due_reminders()
    assert await campaigns.reminder_due(first) is None  # not due yet
    clock.set(first_at)
    mailing = await campaigns.reminder_due(first)
    assert mailing is not None and mailing.members == [1, 2, 4, 5, 6]
    assert await campaigns.reminder_due(first) is None  # done
    assert [done for _, done in await campaigns.reminders(campaign.id)] == [True, False]
    clock.set(second_at + timedelta(minutes=30))
    assert (await campaigns.reminder_due(second)).members == [1, 2, 4, 5, 6]
    assert await campaigns.due_reminders() == []


async def test_a_superseded_reminder_is_not_sent(network: Services, clock: FrozenClock) -> None:
    campaigns = network.diagnostics.campaigns
    await launch(network, clock, days=5, reminders=ReminderPlan.THREE_DAYS_AND_MORNING)
    (first, _), (second, second_at) = await campaigns.due_reminders()
    clock.set(second_at)  # the bot was down through both
    assert await campaigns.reminder_due(first) is None
    assert (await campaigns.reminder_due(second)).members == list(MEMBERS)


async def test_publishing_needs_a_closed_campaign_above_the_threshold(
    network: Services, clock: FrozenClock
) -> None:
    campaigns = network.diagnostics.campaigns
    campaign = await launch(network, clock)
    for user_id in (1, 2, 3, 4):
        await answer_satisfaction(network, campaign, user_id, 4)
    with pytest.raises(DiagnosticError, match="not_closed"):
        await campaigns.publish(campaign.id)
    clock.set(campaign.closes_at)
    await campaigns.close(campaign.id)
    with pytest.raises(DiagnosticError) as below:
        await campaigns.publish(campaign.id)
    assert below.value.details == {"missing": 1}


async def test_publishing_tells_those_who_took_part(network: Services, clock: FrozenClock):
    campaigns = network.diagnostics.campaigns
    campaign = await launch(network, clock)
    for user_id in (1, 2, 3, 4, 5):
        await answer_satisfaction(network, campaign, user_id, 4)
    await network.diagnostics.answering.begin(campaign.id, 6)  # started, answered nothing
    clock.set(campaign.closes_at)
    await campaigns.close(campaign.id)
    mailing = await campaigns.publish(campaign.id)
    assert mailing.members == [1, 2, 3, 4, 5]
    assert mailing.campaign.published_at == clock.now()
    assert [c.id for c in await campaigns.published_for(1)] == [campaign.id]
    assert await campaigns.published_for(6) == []
    with pytest.raises(DiagnosticError, match="already_published"):
        await campaigns.publish(campaign.id)


async def test_a_draft_survives_until_launched(network: Services, clock: FrozenClock) -> None:
    campaigns = network.diagnostics.campaigns
    await campaigns.start_draft(900, "satisfaction")
    opens = clock.now() + timedelta(hours=1)
    await campaigns.update_draft(900, segment=Segment(), anonymous=False, opens_at=opens)
    with pytest.raises(DiagnosticError, match="closes_before_opens"):
        await campaigns.update_draft(900, closes_at=opens)
    with pytest.raises(DiagnosticError, match="draft_incomplete"):
        await campaigns.launch_draft(900)
    draft = await campaigns.update_draft(900, closes_at=opens + timedelta(days=3))
    assert draft.anonymous is False and draft.segment == Segment()
    campaign = await campaigns.launch_draft(900)
    assert (campaign.created_by, campaign.opens_at, campaign.anonymous) == (900, opens, False)
    with pytest.raises(DiagnosticError, match="no_draft"):
        await campaigns.draft(900)


@pytest.mark.parametrize(("network_k", "asked", "kept"), [(3, None, 3), (3, 8, 8), (5, None, 5)])
async def test_a_campaign_hides_results_under_the_networks_threshold_unless_told_otherwise(
    settings: Settings, clock: FrozenClock, network_k: int, asked: int | None, kept: int
) -> None:
    services = await Services.open(replace(settings, anonymity_threshold=network_k), clock)
    try:
        now = clock.now()
        request = CampaignRequest(
            "satisfaction", now, now + timedelta(days=1), members=MEMBERS, threshold=asked
        )
        campaign = await services.diagnostics.campaigns.create(request)
        assert campaign.threshold == kept
    finally:
        await services.close()
