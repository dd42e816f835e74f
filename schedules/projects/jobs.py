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
    """Tell the holder and contributors that a milestone is near, then mark it reminded.

    As the visio steps: sent before being marked, so a crash in between repeats the
    reminder rather than losing it; a project no longer carried is just marked.
    """
    services = context.services
    team = services.projects.team
    note = await team.note(int(ref))
    if note is None or note.due_at is None:
        return
    project = await services.projects.get(note.project_id)
    if project is not None and project.is_open and await _still_due(services, note.id):
        await announce(
            context.application,
            services,
            project,
            "projects.notice.milestone_soon",
            when=note.due_at,
            milestone=note.text,
        )
    await team.reminded(note.id)


async def _still_due(services: Services, note_id: int) -> bool:
    """True while the milestone's reminder has not gone out (the job may run twice)."""
    return any(ref == note_id for ref, _ in await services.projects.team.due_reminders())


MILESTONE_JOB = JobKind("project_milestone", due_milestones, remind)


async def arm(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    """(Re)arm the milestone reminders; call it after a milestone is added."""
    now = services.clock.now()
    for due in await due_milestones(services):
        schedule(application, MILESTONE_JOB, due, now)
