"""The satisfaction questionnaire after a session, run by the diagnostic feature.

At the session's end the members who did not decline get the diagnostic feature's short
``satisfaction`` questionnaire (1-5 and a free text, anonymous, results from k answers):
a campaign with an explicit audience that closes when the animators' report is due.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application

from bot.domain.diagnostic.model import CampaignRequest, DiagnosticError
from bot.domain.diagnostic.questionnaire import QuestionKind
from bot.domain.visio import Notice, Satisfaction, Session
from bot.domain.visio.model import REPORT_AFTER
from bot.services import Services
from schedules.diagnostic.jobs import launch_campaign

logger = logging.getLogger(__name__)

QUESTIONNAIRE = "satisfaction"


async def launch_feedback(
    application: Application[Any, Any, Any, Any, Any, Any], services: Services, notice: Notice
) -> None:
    """Launch the questionnaire for the session once, for the notice's audience."""
    session = notice.session
    if session.feedback_campaign is not None or not notice.audience:
        return
    now = services.clock.now()
    request = CampaignRequest(
        QUESTIONNAIRE,
        opens_at=now,
        closes_at=max(session.ends_at + REPORT_AFTER, now + REPORT_AFTER),
        members=notice.audience,
        anonymous=True,
    )
    try:
        campaign = await launch_campaign(application, request)
    except DiagnosticError as error:
        logger.warning("visio %s: no satisfaction questionnaire (%s)", session.id, error.code)
        return
    await services.visio.cycle.record_feedback(session.id, campaign.id)


async def satisfaction(services: Services, session: Session) -> Satisfaction | None:
    """The questionnaire's figures for the session: mean and comments only above k answers."""
    if session.feedback_campaign is None:
        return None
    diagnostics = services.diagnostics
    campaign = await diagnostics.campaigns.find(session.feedback_campaign)
    if campaign is None:
        return None
    results = await diagnostics.results(campaign)
    if not results.visible:
        return Satisfaction(results.respondents, results.threshold)
    likert = [q for q in results.questions if q.question.kind is QuestionKind.LIKERT]
    texts = [text for q in results.questions if q.visible for text in q.texts]
    mean = likert[0].mean if likert and likert[0].visible else None
    return Satisfaction(results.respondents, results.threshold, mean, tuple(texts))
