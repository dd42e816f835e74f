"""Ask a typed question and take its answer: the pending input, its row, the answer decorator."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from telegram import Update

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.datetime_input import DateTimeInputError
from bot.domain.members import Member, Role
from bot.domain.visio import VisioError
from bot.i18n import Translator
from conversations.common import member_only, say
from conversations.dates import datetime_error_text
from conversations.typed_inputs import END, StaleInput, ask, leave, typed_text
from conversations.typed_inputs import pending_ref as pending_ref_of
from conversations.visio.replies import pressed_row, refuse

T = TypeVar("T")
Answer = Callable[[Update, MaillageContext, Member, Translator, str | None], Awaitable[str | int]]
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


def answer(kind: str, role: Role = Role.MEMBER) -> Callable[[Answer], Callable[..., Any]]:
    """A typed answer in state ``kind``: role re-checked, refusals explained, question kept."""

    def decorate(func: Answer) -> Callable[..., Any]:
        @member_only(role, f"visio_{kind}")
        @wraps(func)
        async def wrapper(
            update: Update, context: MaillageContext, member: Member, t: Translator
        ) -> str | int:
            try:
                return await func(update, context, member, t, typed_text(update))
            except VisioError as error:
                await refuse(update, t, error)
            except DateTimeInputError as error:
                await say(update, datetime_error_text(t, error))
            except StaleInput:
                await say(update, t("visio.propose.stale"))
                return await done(context, member)
            return kind

        return wrapper

    return decorate
