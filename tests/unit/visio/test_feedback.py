"""The satisfaction questionnaire's figures in the visio report and history (k = 5)."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FrozenClock
from bot.domain.diagnostic.model import CampaignRequest
from bot.domain.visio import Attendance, HistoryEntry
from bot.services import Services
from schedules.visio import messages
from schedules.visio.feedback import satisfaction
from tests.conftest import register


async def answered_campaign(services: Services, clock: FrozenClock, scores: list[int]) -> int:
    """A satisfaction campaign answered by one member per score (with a comment each)."""
    members = tuple(range(1, len(scores) + 1))
    for user_id in members:
        await register(services, user_id, f"Membre {user_id}")
    now = clock.now()
    diagnostics = services.diagnostics
    campaign = await diagnostics.campaigns.create(
        CampaignRequest("satisfaction", now, now + timedelta(days=3), members=members)
    )
    assert await diagnostics.campaigns.open(campaign.id) is not None
    for user_id, score in zip(members, scores, strict=True):
        await diagnostics.answering.begin(campaign.id, user_id)
        await diagnostics.answering.choose(campaign.id, user_id, 0, score - 1)
        await diagnostics.answering.write(user_id, f"Avis <{user_id}>")
    return campaign.id


async def test_report_shows_the_mean_and_comments_from_five_answers(
    services: Services, clock: FrozenClock
) -> None:
    campaign_id = await answered_campaign(services, clock, [5, 4, 4, 5, 3])
    visio = services.visio
    notice = (await visio.cycle.create_oneoff("Spécial RGPD", "20/03/2030 10:00"))[0]
    await visio.cycle.record_feedback(notice.session.id, campaign_id)
    session = await visio.cycle.session(notice.session.id)
    assert session is not None
    figures = await satisfaction(services, session)
    assert figures is not None and figures.visible and figures.mean == 4.2
    assert sorted(figures.comments) == [f"Avis <{i}>" for i in range(1, 6)]
    t = services.translator("fr")
    parts = messages.report(t, session, Attendance(yes=6, no=1, attended=5), figures)
    text = "\n".join(parts)
    assert "Satisfaction moyenne : 4,2/5 (5 réponses au questionnaire)" in text
    assert "• Avis &lt;3&gt;" in text  # escaped HTML, no author
    clock.set(session.ends_at + timedelta(days=1))
    history = messages.history(
        services.translator("en"),
        [HistoryEntry(session, Attendance(6, 1, 5), figures)],
        clock.now(),
    )
    assert (
        "Spécial RGPD (held)" in history[0]
        and "6 registered, 5 attended, satisfaction 4.2/5" in (history[0])
    )


async def test_below_five_answers_nothing_but_the_count_shows(
    services: Services, clock: FrozenClock
) -> None:
    campaign_id = await answered_campaign(services, clock, [1, 2])
    visio = services.visio
    notice = (await visio.cycle.create_oneoff("Spécial RGPD", "20/03/2030 10:00"))[0]
    await visio.cycle.record_feedback(notice.session.id, campaign_id)
    session = await visio.cycle.session(notice.session.id)
    assert session is not None
    figures = await satisfaction(services, session)
    assert figures is not None and not figures.visible
    assert figures.mean is None and figures.comments == ()
    text = "\n".join(messages.report(services.translator("fr"), session, Attendance(), figures))
    assert "à partir de 5 réponses au questionnaire (2 pour l’instant)" in text
    assert "Avis" not in text
