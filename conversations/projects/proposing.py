"""A member proposes a project: its title, the problem, who it serves, what they need."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.projects import ProjectError, ProjectStatus
from bot.domain.projects.model import Project
from bot.domain.projects.rules import clean_field
from bot.i18n import Translator
from conversations.common import acknowledge, keyboard, member_only, say, unpack_press
from conversations.projects.asking import answer, begin, done, pending_ref
from conversations.typed_inputs import END, StaleInput
from conversations.visio.replies import expire, fields
from schedules.projects.buttons import CHECKLIST, IDEA, VIEW

NEXT = {"problem": "audience", "audience": "needs"}


@member_only(action="projects_propose")
async def start_proposal(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str:
    """💡 Propose a project: ask for its title."""
    return await begin(update, context, member, "title", t("projects.ask.title"))


@member_only(Role.ANIMATOR, "projects_idea")
async def start_idea(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """💡 A project on a weak theme of the diagnosis: the proposal remembers the theme."""
    values = await unpack_press(update, t, IDEA, fields(campaign=None))
    if values is None:
        return END
    campaign = int(values["campaign"])
    theme = await context.services.projects.impact.idea(campaign, values["theme"])
    if theme is None:
        await expire(update, t)
        return END
    draft = f"{campaign}:{theme.id}"
    await context.services.projects.expect_input(member.user_id, "title", None, draft)
    query = update.callback_query
    assert query is not None
    await acknowledge(query)
    await say(update, t("projects.ask.title_idea", theme=theme.title(t.language)))
    return "title"


async def _title(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The title: the project is stored at once as a draft; then the problem."""
    projects = context.services.projects
    pending = await projects.pending_input(member.user_id)
    idea = None
    if pending is not None and pending.draft:
        campaign, theme = pending.draft.split(":", 1)
        idea = (int(campaign), theme)
    project = await projects.start(member.user_id, text, idea)
    return await begin(update, context, member, "problem", t("projects.ask.problem"), project.id)


async def _field(
    update: Update,
    context: MaillageContext,
    member: Member,
    t: Translator,
    field: str,
    text: str | None,
) -> str | int:
    """One typed field, then the next question (or the end once the needs are typed)."""
    project_id = await pending_ref(context, member, field)
    project = await context.services.projects.fill(member.user_id, project_id, field, text)
    if field in NEXT:
        following = NEXT[field]
        return await begin(
            update, context, member, following, t(f"projects.ask.{following}"), project.id
        )
    return await _proposed(update, context, member, t, project)


async def _proposed(
    update: Update, context: MaillageContext, member: Member, t: Translator, project: Project
) -> int:
    """The proposal is complete: say so, with the way to the checklist."""
    rows = [
        [(t("projects.button.checklist"), CHECKLIST.pack(project=project.id))],
        [(t("projects.button.open"), VIEW.pack(project=project.id))],
    ]
    await say(update, t("projects.propose.done", title=project.title), keyboard(rows))
    return await done(context, member)


def _same(field: str, stored: str, text: str | None) -> bool:
    """Whether ``text`` is the answer already stored in ``field``."""
    try:
        return bool(stored) and clean_field(field, text) == stored
    except ProjectError:
        return False


async def _proposal(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """A typed answer of the proposal, routed by what the database awaits.

    Not by the conversation state, which a crash may leave one answer behind: the previous
    answer typed again (its reply lost) asks the awaited question again, and the needs typed
    again once the project is proposed say so again.
    """
    projects = context.services.projects
    pending = await projects.pending_input(member.user_id)
    if pending is None or pending.kind not in ORDER:
        last = await projects.last_held(member.user_id)
        if (
            last is None
            or last.status is ProjectStatus.DRAFT
            or not _same("needs", last.needs, text)
        ):
            raise StaleInput
        return await _proposed(update, context, member, t, last)
    kind = pending.kind
    if kind == "title":
        return await _title(update, context, member, t, text)
    project = await projects.held(member.user_id, await pending_ref(context, member, kind), "edit")
    previous = ORDER[ORDER.index(kind) - 1]
    if _same(previous, getattr(project, previous), text):
        return await begin(update, context, member, kind, t(f"projects.ask.{kind}"), project.id)
    return await _field(update, context, member, t, kind, text)


ORDER = ("title", "problem", "audience", "needs")
"""The proposal's questions, in order (each is also a conversation state)."""


ANSWERS: dict[str, Callable[..., Any]] = {kind: answer(kind)(_proposal) for kind in ORDER}
"""Whatever the state, a typed answer of the proposal goes to what the database awaits."""
