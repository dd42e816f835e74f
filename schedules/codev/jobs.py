"""Co-development jobs: reminders, time boxes over, follow-ups due, seat offers lapsing.

Every row is the truth in the database; each job re-reads and claims its row, so a job run
twice (or after a restart) sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram.ext import Application

from bot.context import MaillageContext
from bot.domain.codev.model import Group, Session
from bot.domain.codev.seats import Departure
from bot.services import Services
from schedules.codev.followup import ask_followup
from schedules.codev.invitations import send_reminder
from schedules.codev.joining import offer_seat
from schedules.codev.sending import tell
from schedules.codev.steps import alert_step
from schedules.registry import Due, JobKind, schedule

App = Application[Any, Any, Any, Any, Any, Any]


def _pair(ref: str) -> tuple[int, str]:
    first, _, second = ref.partition("-")
    return int(first), second


async def _group_of(context: MaillageContext, session: Session) -> Group | None:
    return await context.services.codev.groups.get(session.group_id)


# -- reminders -------------------------------------------------------------------------------


async def due_reminders(services: Services) -> list[Due]:
    """A day and an hour before each scheduled session."""
    return [
        Due(f"{session_id}-{kind}", at)
        for session_id, kind, at in await services.codev.sessions.reminders()
    ]


async def run_reminder(context: MaillageContext, ref: str) -> None:
    """Send one reminder once, if the session is still on."""
    session_id, kind = _pair(ref)
    session = await context.services.codev.sessions.claim_reminder(session_id, kind)
    group = await _group_of(context, session) if session else None
    if session is not None and group is not None:
        await send_reminder(context, session, group, kind)


REMINDER_JOB = JobKind("codev_reminder", due_reminders, run_reminder)


# -- time boxes ------------------------------------------------------------------------------


async def due_step_alerts(services: Services) -> list[Due]:
    """The end of each running session's current time box."""
    return [
        Due(str(s.id), s.step_ends_at)
        for s in await services.codev.sessions.step_alerts()
        if s.step_ends_at is not None
    ]


async def run_step_alert(context: MaillageContext, ref: str) -> None:
    """Say once that the current step's time is up (nothing if the step moved on)."""
    session = await context.services.codev.sessions.claim_step_alert(int(ref))
    group = await _group_of(context, session) if session else None
    if session is not None and group is not None:
        await alert_step(context, session, group)


STEP_JOB = JobKind("codev_step", due_step_alerts, run_step_alert)


# -- follow-up -------------------------------------------------------------------------------


async def due_followups(services: Services) -> list[Due]:
    """Action plans whose follow-up question is not asked yet."""
    return [Due(str(sid), at) for sid, at in await services.codev.plans.followups()]


async def run_followup(context: MaillageContext, ref: str) -> None:
    """Ask the client once how their commitments went."""
    session = await context.services.codev.plans.claim_followup(int(ref))
    group = await _group_of(context, session) if session else None
    if session is not None and group is not None:
        await ask_followup(context, session, group)


FOLLOWUP_JOB = JobKind("codev_followup", due_followups, run_followup)


# -- seats offered ---------------------------------------------------------------------------


async def due_offers(services: Services) -> list[Due]:
    """When each seat offered from a waiting list lapses."""
    return [Due(f"{g}-{u}", at) for g, u, at in await services.codev.groups.offers()]


async def offer_next(context: MaillageContext, departure: Departure) -> None:
    """Offer a freed seat to whom the domain chose, and arm the lapse of that offer."""
    if departure.offered_to is None:
        return
    await offer_seat(context, departure.group, departure.offered_to)
    now = context.services.clock.now()
    for group_id, user_id, at in await context.services.codev.groups.offers():
        if (group_id, user_id) == (departure.group.id, departure.offered_to):
            schedule(context.application, OFFER_JOB, Due(f"{group_id}-{user_id}", at), now)


async def run_offer(context: MaillageContext, ref: str) -> None:
    """An unanswered offer lapses once; the seat goes to the next waiting."""
    group_id, user_id = _pair(ref)
    departure = await context.services.codev.groups.lapse_offer(group_id, int(user_id))
    if departure is not None:
        await tell(context, int(user_id), "codev.offer.lapsed", name=departure.group.name)
        await offer_next(context, departure)


OFFER_JOB = JobKind("codev_offer", due_offers, run_offer)

CODEV_JOBS = (REMINDER_JOB, STEP_JOB, FOLLOWUP_JOB, OFFER_JOB)


# -- arming from handlers --------------------------------------------------------------------


async def arm_rows(application: App, services: Services, kind: JobKind) -> None:
    """(Re)arm every job of ``kind`` from its rows (reminders after a date change…)."""
    now = services.clock.now()
    for due in await kind.due_rows(services):
        schedule(application, kind, due, now)


def arm_step_alert(application: App, session: Session, now: datetime) -> None:
    """Arm the alert for the end of the session's current time box."""
    if session.step_ends_at is not None:
        schedule(application, STEP_JOB, Due(str(session.id), session.step_ends_at), now)
