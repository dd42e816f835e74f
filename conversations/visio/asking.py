"""Ask a typed question and take its answer: the pending input, its row, the answer decorator."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from telegram import Update

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.members import Member
from bot.domain.visio import VisioError
from bot.i18n import Translator
from conversations.typed_inputs import END, ask, leave, typed_answers
from conversations.typed_inputs import pending_ref as pending_ref_of
from conversations.visio.replies import pressed_row, refuse

T = TypeVar("T")
RowQuestions = Mapping[str, tuple[str, Callable[[Translator, T], str]]]
"""For each action of a row's button: the input's kind and its question about the row."""


async def begin(
    update: Update,
    context: MaillageContext,
    member: Member,
    kind: str,
    question: str,
    ref: int | None = None,
    draft: str | None = None,
) -> str:
    """Store what the next message answers, ask, and wait in the state ``kind``."""
    await context.services.visio.expect_input(member.user_id, kind, ref, draft)
    return await ask(update, question, kind)


async def begin_about_row(
    update: Update,
    context: MaillageContext,
    member: Member,
    t: Translator,
    spec: CallbackSpec,
    key: str,
    fetch: Callable[[int], Awaitable[T | None]],
    questions: RowQuestions[T],
) -> str | int:
    """A button on a row (its ``key`` field, read by ``fetch``) asks its action's question."""
    pressed = await pressed_row(update, t, spec, key, fetch, action=tuple(questions))
    if pressed is None:
        return END
    values, row = pressed
    kind, question = questions[values["action"]]
    return await begin(update, context, member, kind, question(t, row), int(values[key]))


async def pending_ref(context: MaillageContext, member: Member, kind: str) -> int:
    """The row the pending answer is about; StaleInput if it is not the one expected."""
    return await pending_ref_of(context.services.visio, member, kind)


async def done(context: MaillageContext, member: Member) -> int:
    """Forget the pending input and leave the conversation."""
    return await leave(context.services.visio, member)


answer = typed_answers(
    "visio", lambda context: context.services.visio, VisioError, refuse, "visio.propose.stale"
)
"""``@answer(kind, role)``: a typed answer of the visio conversation."""
