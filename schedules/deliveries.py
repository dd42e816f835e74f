"""The ``send`` job: wakes a send of the delivery engine at its due time (``send:<id>``)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from telegram.ext import Application, Job

from bot.context import MaillageContext
from bot.delivery import Audience, Draft, Recipient, SendReport
from bot.services import Services
from schedules.registry import Due, JobKind, schedule


async def due_sends(services: Services) -> list[Due]:
    """Sends scheduled for later, and sends under way (a restart resumes them at once)."""
    return [Due(str(send_id), at) for send_id, at in await services.deliveries.due_sends()]


async def run_send(context: MaillageContext, ref: str) -> None:
    """Launch the send in the background; the engine re-reads it and skips it if it is over.

    When the pass ends with rows held back by ``not_before``, the job is re-armed for then.
    """
    application, clock = context.application, context.services.clock

    def rearm(task: asyncio.Task[SendReport | None]) -> None:
        if task.cancelled() or task.exception() is not None:
            return
        report = task.result()
        if report is not None and report.next_due is not None:
            schedule_send(application, report.send_id, report.next_due, clock.now())

    context.services.deliveries.launch(int(ref)).add_done_callback(rearm)


SEND_JOB = JobKind("send", due_sends, run_send)


def schedule_send(
    application: Application[Any, Any, Any, Any, Any, Any],
    send_id: int,
    due_at: datetime,
    now: datetime,
) -> Job[Any]:
    """Arm (or re-arm) ``send:<id>`` for ``due_at``; a past time runs it once, right away."""
    return schedule(application, SEND_JOB, Due(str(send_id), due_at), now)


async def dispatch(
    application: Application[Any, Any, Any, Any, Any, Any],
    services: Services,
    draft: Draft,
    members: Sequence[int] = (),
    chats: Sequence[Recipient] = (),
) -> tuple[int, Audience]:
    """Create the send and arm its job for ``draft.due_at`` (or now); its id and audience."""
    send_id, audience = await services.deliveries.create_send(draft, members, chats)
    now = services.clock.now()
    schedule_send(application, send_id, draft.due_at or now, now)
    return send_id, audience
