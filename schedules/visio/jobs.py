"""The ``visio`` job: one per session (``visio:<id>``), woken at its next due step.

A run takes every step of the session that is due, in order, under the cycle's lock: after
downtime the steps missed run once, in their order. Each step's notices are sent before the
step is marked done (a crash in between repeats that step's messages, never loses them).
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.context import MaillageContext
from bot.services import Services
from schedules.registry import Due, JobKind, schedule
from schedules.visio.publish import publish


async def due_sessions(services: Services) -> list[Due]:
    """Plan the coming monthly sessions, then each session's next due step."""
    await services.visio.cycle.plan()
    return [Due(str(sid), at) for sid, at in await services.visio.cycle.due_times()]


async def advance(
    application: Application[Any, Any, Any, Any, Any, Any], services: Services, session_id: int
) -> None:
    """Run the session's due steps in order and send what they produce."""
    cycle = services.visio.cycle
    async with cycle.lock:
        while (step := await cycle.next_due_step(session_id)) is not None:
            notices = await cycle.run_step(step)
            await publish(application, services, notices)
            await cycle.complete_step(step, sent=bool(notices))


async def run_session(context: MaillageContext, ref: str) -> None:
    """The job: advance one session, then re-arm every session's next step."""
    await advance(context.application, context.services, int(ref))
    await arm(context.application, context.services)


VISIO_JOB = JobKind("visio", due_sessions, run_session)


async def arm(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    """(Re)arm each session's job at its next due step; call it after any change."""
    now = services.clock.now()
    for due in await due_sessions(services):
        schedule(application, VISIO_JOB, due, now)
