"""Animators validate a project's step; the holder and contributors are told."""

from __future__ import annotations

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.projects import ProjectError
from bot.i18n import Translator
from conversations.common import member_only, replace_with
from conversations.projects.asking import refuse
from conversations.projects.home import card
from conversations.visio.replies import pressed_row
from schedules.projects.buttons import VALIDATE
from schedules.projects.notices import announce


@member_only(Role.ANIMATOR, "projects_validate")
async def on_validate(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """✔️ Validate step n: refused with the reason when a criterion (or the users) is missing."""
    projects = context.services.projects
    pressed = await pressed_row(update, t, VALIDATE, "project", projects.get, step=None)
    if pressed is None:
        return
    values, project = pressed
    try:
        moved = await projects.validate(member.user_id, project.id, int(values["step"]))
    except ProjectError as error:
        await refuse(update, t, error)
        return
    key = "projects.notice.done" if not moved.is_open else "projects.notice.step_validated"
    await announce(
        context.application, context.services, moved, key, number=int(values["step"]) + 1
    )
    await replace_with(update, *await card(context, member, t, moved))
