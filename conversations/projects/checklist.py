"""The step's checklist: the holder answers each criterion, then may add a comment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.projects import Answer, Project, ProjectError
from bot.i18n import Translator
from conversations.common import member_only, replace_with, say
from conversations.projects import views
from conversations.projects.asking import answer, done, refuse
from conversations.visio.replies import pressed_row
from schedules.projects.buttons import ANSWER, ANSWER_CODES, CHECKLIST

COMMENT = "comment"


async def checklist_view(
    context: MaillageContext, member: Member, t: Translator, project: Project
) -> tuple[str, views.Rows]:
    """The checklist as the holder (with answer buttons) or an animator (read only) sees it."""
    projects = context.services.projects
    check = await projects.check(project)
    assert check is not None
    text = views.checklist_text(t, projects, project, await projects.answers(project), check)
    if project.holder_id == member.user_id:
        return text, views.checklist_rows(t, projects, project)
    return text, views.review_rows(t, project)


@member_only()
async def on_checklist(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """✅ Criteria: the holder answers them, an animator reviews them; others are refused."""
    projects = context.services.projects
    pressed = await pressed_row(update, t, CHECKLIST, "project", projects.get)
    if pressed is None:
        return
    project = pressed[1]
    try:
        if project.holder_id != member.user_id and not member.has_role(Role.ANIMATOR):
            await projects.refuse(member.user_id, "checklist", project.id, "not_holder")
        if not project.is_open or projects.step_of(project) is None:
            raise ProjectError("moved_on")
    except ProjectError as error:
        await refuse(update, t, error)
        return
    await replace_with(update, *await checklist_view(context, member, t, project))


@member_only()
async def on_answer(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """A criterion's answer: saved, the checklist redrawn, then an optional comment."""
    projects = context.services.projects
    pressed = await pressed_row(
        update,
        t,
        ANSWER,
        "project",
        projects.get,
        step=None,
        criterion=None,
        answer=tuple(ANSWER_CODES),
    )
    if pressed is None:
        return await done(context, member)
    values, project = pressed
    step = projects.checklist.step(int(values["step"]))
    number = int(values["criterion"])
    criterion_id = step.criteria[number - 1].id if step and number <= len(step.criteria) else "-"
    try:
        await projects.record_answer(
            member.user_id,
            project.id,
            int(values["step"]),
            criterion_id,
            Answer(ANSWER_CODES[values["answer"]]),
        )
    except ProjectError as error:
        await refuse(update, t, error)
        return await done(context, member)
    await replace_with(update, *await checklist_view(context, member, t, project))
    draft = f"{values['step']}:{criterion_id}"
    await projects.expect_input(member.user_id, COMMENT, project.id, draft)
    await say(update, t("projects.checklist.ask_comment", number=number))
    return COMMENT


@answer(COMMENT)
async def on_comment(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The comment on the criterion just answered (/passer: none)."""
    if text is None:
        await say(update, t("projects.checklist.no_comment"))
        return await done(context, member)
    projects = context.services.projects
    pending = await projects.pending_input(member.user_id)
    if pending is None or pending.kind != COMMENT or pending.ref is None or not pending.draft:
        await say(update, t("projects.stale_input"))
        return await done(context, member)
    step, criterion = pending.draft.split(":", 1)
    await projects.comment(member.user_id, pending.ref, int(step), criterion, text)
    await say(update, t("projects.checklist.commented"))
    return await done(context, member)


ANSWERS: dict[str, Callable[..., Any]] = {COMMENT: on_comment}
SKIPPABLE = (COMMENT,)
