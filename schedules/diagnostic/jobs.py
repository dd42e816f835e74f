"""Diagnostic campaigns in time: open and invite, remind, close; and the public way to launch.

Jobs ``dq_open:<campaign>``, ``dq_close:<campaign>`` and ``dq_remind:<reminder>`` re-read
their row and do nothing when the work is done; a job missed while the bot was down runs
at start-up. Every message to members goes through the delivery engine.

Other features launch a campaign with :func:`launch_campaign`, e.g. the satisfaction
questionnaire after a session::

    await launch_campaign(
        context.application,
        CampaignRequest("satisfaction", opens_at=now, closes_at=now + timedelta(days=7),
                        members=tuple(attendee_ids), anonymous=True),
    )
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from telegram.ext import Application

from bot.context import MaillageContext
from bot.delivery import Audience, Draft
from bot.domain.diagnostic.campaigns import Mailing
from bot.domain.diagnostic.model import Campaign, CampaignRequest
from bot.i18n import Translator
from bot.localized import Renderer, Rows, localized_content
from bot.services import Services
from schedules.deliveries import dispatch
from schedules.diagnostic.messages import View, closed_notice, invitation, reminder
from schedules.diagnostic.messages import published as published_notice
from schedules.registry import Due, JobKind, schedule

CATEGORY = "diagnostic"
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


async def send(
    context: MaillageContext,
    kind: str,
    members: Sequence[int],
    render: Callable[[Translator], View],
    created_by: int | None = None,
) -> tuple[int, Audience]:
    """Write a send to ``members`` through the delivery engine and arm it for now."""
    services = context.services
    content = localized_content(_one_part(render), services.translator, services.settings.language)
    draft = Draft(kind, CATEGORY, content, created_by=created_by, due_at=services.clock.now())
    return await dispatch(context.application, services, draft, members)


def _one_part(render: Callable[[Translator], View]) -> Renderer:
    """A view (one text and its buttons) as the engine's renderer (parts and buttons)."""

    def rendered(t: Translator) -> tuple[tuple[str], Rows]:
        text, rows = render(t)
        return (text,), rows

    return rendered


async def run_open(context: MaillageContext, ref: str) -> None:
    """Open the campaign and invite its audience (once)."""
    campaigns = context.services.diagnostics.campaigns
    mailing = await campaigns.open(int(ref))
    if mailing is None:
        return
    campaign = mailing.campaign
    send_id, _ = await send(
        context,
        "diagnostic_invitation",
        mailing.members,
        lambda t: invitation(t, campaign),
        campaign.created_by,
    )
    await campaigns.invited(campaign.id, send_id)


async def run_remind(context: MaillageContext, ref: str) -> None:
    """Remind the members who have not finished (once per planned reminder)."""
    campaigns = context.services.diagnostics.campaigns
    mailing = await campaigns.reminder_due(int(ref))
    if mailing is None or not mailing.members:
        return
    send_id, _ = await remind(context, mailing)
    await campaigns.reminder_sent(int(ref), send_id)


async def remind(context: MaillageContext, mailing: Mailing) -> tuple[int, Audience]:
    """Send the reminder of ``mailing.campaign`` to ``mailing.members``."""
    campaign = mailing.campaign
    return await send(
        context, "diagnostic_reminder", mailing.members, lambda t: reminder(t, campaign)
    )


async def run_close(context: MaillageContext, ref: str) -> None:
    """Close the campaign at its deadline and tell the animator who launched it."""
    diagnostics = context.services.diagnostics
    campaign = await diagnostics.campaigns.close(int(ref))
    if campaign is None or campaign.created_by is None:
        return
    participation = await diagnostics.campaigns.participation(campaign.id)
    await send(
        context,
        "diagnostic_closed",
        [campaign.created_by],
        lambda t: closed_notice(t, campaign, participation),
    )


async def publish(context: MaillageContext, campaign_id: int) -> int:
    """Publish a closed campaign's results and tell the members who took part; how many."""
    mailing = await context.services.diagnostics.campaigns.publish(campaign_id)
    campaign = mailing.campaign
    _, audience = await send(
        context, "diagnostic_results", mailing.members, lambda t: published_notice(t, campaign)
    )
    return audience.eligible


async def _openings(services: Services) -> list[Due]:
    return [Due(str(c), at) for c, at in await services.diagnostics.campaigns.due_openings()]


async def _closings(services: Services) -> list[Due]:
    return [Due(str(c), at) for c, at in await services.diagnostics.campaigns.due_closings()]


async def _reminders(services: Services) -> list[Due]:
    return [Due(str(r), at) for r, at in await services.diagnostics.campaigns.due_reminders()]


OPEN_JOB = JobKind("dq_open", _openings, run_open)
REMIND_JOB = JobKind("dq_remind", _reminders, run_remind)
CLOSE_JOB = JobKind("dq_close", _closings, run_close)


async def arm(application: AnyApplication, campaign: Campaign) -> None:
    """Schedule the campaign's jobs; a campaign due to open now opens (and invites) at once."""
    context = MaillageContext(application)
    services = context.services
    now = services.clock.now()
    if campaign.opens_at <= now:
        await run_open(context, str(campaign.id))
    else:
        schedule(application, OPEN_JOB, Due(str(campaign.id), campaign.opens_at), now)
    schedule(application, CLOSE_JOB, Due(str(campaign.id), campaign.closes_at), now)
    for due in await _reminders(services):
        schedule(application, REMIND_JOB, due, now)


async def launch_campaign(application: AnyApplication, request: CampaignRequest) -> Campaign:
    """Create a campaign and arm its jobs: the public entry point for handlers and features.

    Raises ``DiagnosticError`` (``code`` names the refusal) for an invalid request.
    """
    campaign = await MaillageContext(application).services.diagnostics.campaigns.create(request)
    await arm(application, campaign)
    return campaign
