"""Joining a project, and the holder's typed actions: a note, a milestone, a size limit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from telegram import Update

from bot.context import MaillageContext
from bot.domain.datetime_input import parse_date_input
from bot.domain.members import Member
from bot.domain.projects import ProjectError
from bot.i18n import Translator
from conversations.common import member_only, replace_with, say
from conversations.projects.asking import answer, begin, done, pending_ref, refuse
from conversations.projects.home import card
from conversations.visio.replies import pressed_row
from schedules.projects import jobs
from schedules.projects.buttons import ACTION, JOIN
from schedules.projects.notices import announce

MILESTONE_HOUR = time(9)
"""A milestone falls on a day; it is shown and reminded at 09:00 network time."""
QUESTIONS = {
    "note": "projects.ask.note",
    "milestone": "projects.ask.milestone",
    "limit": "projects.ask.limit",
}


@member_only()
async def on_join(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """🤝 Join or leave a project; its card is redrawn."""
    team = context.services.projects.team
    pressed = await pressed_row(
        update, t, JOIN, "project", context.services.projects.get, join=("0", "1")
    )
    if pressed is None:
        return
    values, project = pressed
    try:
        if values["join"] == "1":
            project = await team.join(member.user_id, project.id)
        else:
            await team.leave(member.user_id, project.id)
    except ProjectError as error:
        await refuse(update, t, error)
        return
    if values["join"] == "1" and project.holder_id is not None:
        await announce(
            context.application,
            context.services,
            project,
            "projects.notice.joined",
            exclude=member.user_id,
            name=member.display_name or "",
        )
    fresh = await context.services.projects.get(project.id)
    assert fresh is not None
    await replace_with(update, *await card(context, member, t, fresh))


@member_only()
async def start_action(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """📝 Note, 📅 Milestone or 👥 Limit: only the holder; ask for the text."""
    projects = context.services.projects
    pressed = await pressed_row(update, t, ACTION, "project", projects.get, action=tuple(QUESTIONS))
    if pressed is None:
        return await done(context, member)
    values, project = pressed
    try:
        await projects.held(member.user_id, project.id, values["action"])
    except ProjectError as error:
        await refuse(update, t, error)
        return await done(context, member)
    kind = values["action"]
    return await begin(
        update, context, member, kind, t(QUESTIONS[kind], title=project.title), project.id
    )


@answer("note")
async def on_note(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """A progress note: saved and sent to the contributors."""
    project_id = await pending_ref(context, member, "note")
    await context.services.projects.team.add_note(member.user_id, project_id, text)
    project = await context.services.projects.get(project_id)
    assert project is not None
    told = await announce(
        context.application,
        context.services,
        project,
        "projects.notice.note",
        exclude=member.user_id,
        text=text or "",
    )
    await say(update, t("projects.note.saved", count=told))
    return await done(context, member)


@answer("milestone")
async def on_milestone(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """A milestone's text, then its date."""
    project_id = await pending_ref(context, member, "milestone")
    await context.services.projects.held(member.user_id, project_id, "note")
    label = " ".join((text or "").split())
    if not label:
        raise ProjectError("empty")
    await context.services.projects.expect_input(
        member.user_id, "milestone_date", project_id, label[:1000]
    )
    await say(update, t("projects.ask.milestone_date"))
    return "milestone_date"


@answer("milestone_date")
async def on_milestone_date(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The milestone's day: saved, its reminder armed, the contributors told."""
    services = context.services
    project_id = await pending_ref(context, member, "milestone_date")
    pending = await services.projects.pending_input(member.user_id)
    assert pending is not None
    zone = services.settings.timezone
    day = parse_date_input(text or "", zone, services.clock.now())
    due = datetime.combine(day, MILESTONE_HOUR, zone)
    note = await services.projects.team.add_note(member.user_id, project_id, pending.draft, due)
    await jobs.arm(context.application, services)
    project = await services.projects.get(project_id)
    assert project is not None
    await announce(
        context.application,
        services,
        project,
        "projects.notice.milestone",
        exclude=member.user_id,
        when=due,
        milestone=note.text,
    )
    await say(update, t("projects.milestone.saved", when=t.datetime(due)))
    return await done(context, member)


@answer("limit")
async def on_limit(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """How many contributors may join (0: no limit)."""
    project_id = await pending_ref(context, member, "limit")
    project = await context.services.projects.team.set_limit(member.user_id, project_id, text)
    limit = project.max_contributors
    await say(update, t("projects.limit.saved", limit=limit) if limit else t("projects.limit.none"))
    return await done(context, member)


ANSWERS: dict[str, Callable[..., Any]] = {
    "note": on_note,
    "milestone": on_milestone,
    "milestone_date": on_milestone_date,
    "limit": on_limit,
}
