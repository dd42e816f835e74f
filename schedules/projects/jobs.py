"""The ``project_milestone`` job: a reminder to a project's people before a milestone.

Due times come from the database (``project_notes.remind_at``); one already due when the
bot starts runs once right away, and a reminder marked sent never goes twice.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.context import MaillageContext
from bot.services import Services
from schedules.projects.notices import announce
from schedules.registry import Due, JobKind, schedule


async def due_milestones(services: Services) -> list[Due]:
    """Each milestone whose reminder is still to send."""
    return [Due(str(nid), at) for nid, at in await services.projects.team.due_reminders()]


async def remind(context: MaillageContext, ref: str) -> None:
    """Tell the holder and contributors that a milestone is near (once)."""
    services = context.services
    note = await services.projects.team.note(int(ref))
    if note is None or note.due_at is None:
        return
    project = await services.projects.get(note.project_id)
    if project is None or not project.is_open:
        return
    if not await services.projects.team.reminded(note.id):
        return
    await announce(
        context.application,
        services,
        project,
        "projects.notice.milestone_soon",
        when=note.due_at,
        milestone=note.text,
    )


MILESTONE_JOB = JobKind("project_milestone", due_milestones, remind)


async def arm(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    """(Re)arm the milestone reminders; call it after a milestone is added."""
    now = services.clock.now()
    for due in await due_milestones(services):
        schedule(application, MILESTONE_JOB, due, now)
