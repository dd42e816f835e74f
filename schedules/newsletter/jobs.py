"""Newsletters and reminders to the delivery engine, and their reports back to the author.

``launch`` renders the animator's draft, refuses an audience of nobody, creates the send
(opt-out button under every message) and arms both the ``send`` job and this feature's
``nl_report`` job. ``nl_report:<send>`` waits for the send's pass; once the send is done it
posts the delivery report to the author (once: the claim is committed first); rows held
back by quiet hours re-arm it for when they become due.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import MaillageContext
from bot.delivery import Audience, Draft, Recipient, SendStatus
from bot.domain.newsletter.model import BroadcastKind, NewsletterError
from bot.localized import keyboard_data
from bot.services import Services
from schedules.deliveries import dispatch
from schedules.newsletter.messages import broadcast_content, report_view
from schedules.registry import Due, JobKind, schedule

logger = logging.getLogger(__name__)
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
TEST_SUFFIX = "_test"
"""Kind suffix of a test send to its author (no report, no opt-out filtering)."""


@dataclass(frozen=True)
class Launched:
    """A broadcast handed to the engine: its send, who it reaches, and when."""

    send_id: int
    audience: Audience
    due_at: datetime | None


async def launch(
    application: AnyApplication,
    services: Services,
    user_id: int,
    kind: BroadcastKind,
    due_at: datetime | None = None,
) -> Launched:
    """Send the animator's draft now or at ``due_at``; NewsletterError if it cannot go."""
    letters = services.newsletters
    prepared = await letters.prepare(user_id, kind)
    if not prepared.audience.eligible:
        raise NewsletterError("nobody", skipped=prepared.audience.skipped)
    content = broadcast_content(prepared.composition, kind, services.translator)
    draft = Draft(kind.value, kind.category, content, user_id, due_at, urgent=prepared.draft.urgent)
    send_id, audience = await dispatch(application, services, draft, prepared.member_ids)
    await letters.record_send(send_id, prepared.draft)
    now = services.clock.now()
    schedule(application, REPORT_JOB, Due(str(send_id), due_at or now), now)
    return Launched(send_id, audience, due_at)


async def send_test(
    application: AnyApplication,
    services: Services,
    user_id: int,
    language: str,
    kind: BroadcastKind,
) -> int:
    """Send the draft to its author only, through the engine, as members will get it."""
    prepared = await services.newsletters.prepare(user_id, kind)
    content = broadcast_content(prepared.composition, kind, services.translator)
    draft = Draft(kind.value + TEST_SUFFIX, kind.category, content, user_id, urgent=True)
    await dispatch(application, services, draft, chats=[Recipient(user_id, language, user_id)])
    return len(prepared.composition.parts(language))


async def resend(application: AnyApplication, services: Services, send_id: int) -> int:
    """Send again to the failed and unknown rows; the author gets a new report after."""
    count = await services.newsletters.resend(send_id)
    if count:
        now = services.clock.now()
        schedule(application, REPORT_JOB, Due(str(send_id), now), now)
    return count


async def due_reports(services: Services) -> list[Due]:
    """Broadcasts whose author still awaits the report, due with their send."""
    return [Due(str(send_id), at) for send_id, at in await services.newsletters.due_reports()]


async def run_report(context: MaillageContext, ref: str) -> None:
    """Wait for the send's pass; post the report once it is done, or re-arm for held rows."""
    services, send_id = context.services, int(ref)
    report = await services.deliveries.run(send_id)
    if report is None or report.status is SendStatus.CANCELLED:
        return
    if report.status is not SendStatus.DONE:
        now = services.clock.now()
        for owed, at in await services.newsletters.due_reports():
            if owed == send_id and at > now:
                schedule(context.application, REPORT_JOB, Due(ref, at), now)
        return
    broadcast = await services.newsletters.broadcast(send_id)
    if broadcast is None or broadcast.author_id is None:
        return
    if not await services.newsletters.claim_report(send_id):
        return
    author = await services.members.get(broadcast.author_id)
    t = services.translator(author.language if author else services.settings.language)
    text, rows = report_view(t, broadcast, report)
    data = keyboard_data(rows)
    markup = InlineKeyboardMarkup.de_json(data, context.bot) if data else None
    try:
        await context.bot.send_message(broadcast.author_id, text, reply_markup=markup)
    except TelegramError as error:
        logger.warning("report of send %s not delivered to its author: %s", send_id, error)


REPORT_JOB = JobKind("nl_report", due_reports, run_report)
