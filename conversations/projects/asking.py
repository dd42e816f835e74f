"""Ask a typed question about a project and take its answer (one persistent conversation)."""

from __future__ import annotations

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member
from bot.domain.projects import ProjectError
from bot.i18n import Translator
from conversations.common import notify
from conversations.typed_inputs import ask, leave, typed_answers
from conversations.typed_inputs import pending_ref as pending_ref_of


async def refuse(update: Update, t: Translator, error: ProjectError) -> None:
    """Explain a refusal: a toast for a button press, a message for typed text."""
    await notify(update, t(f"projects.error.{error.code}", **error.params))


async def begin(
    update: Update,
    context: MaillageContext,
    member: Member,
    kind: str,
    question: str,
    ref: int | None = None,
) -> str:
    """Store what the next message answers, ask, and wait in the state ``kind``."""
    await context.services.projects.expect_input(member.user_id, kind, ref)
    return await ask(update, question, kind)


async def pending_ref(context: MaillageContext, member: Member, kind: str) -> int:
    """The project the pending answer is about; StaleInput if it is not the one expected."""
    return await pending_ref_of(context.services.projects, member, kind)


async def done(context: MaillageContext, member: Member) -> int:
    """Forget the pending input and leave the conversation."""
    return await leave(context.services.projects, member)


answer = typed_answers(
    "projects",
    lambda context: context.services.projects,
    ProjectError,
    refuse,
    "projects.stale_input",
    ending=("gone", "moved_on", "not_holder"),
)
"""``@answer(kind)``: a typed answer of the projects conversation."""
