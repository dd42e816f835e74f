"""Ask a typed question about a project and take its answer (one persistent conversation)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from telegram import Update

from bot.context import MaillageContext
from bot.domain.datetime_input import DateTimeInputError
from bot.domain.members import Member
from bot.domain.projects import ProjectError
from bot.i18n import Translator
from conversations.common import member_only, notify, say
from conversations.dates import datetime_error_text
from conversations.typed_inputs import StaleInput, ask, leave, typed_text
from conversations.typed_inputs import pending_ref as pending_ref_of

Answer = Callable[[Update, MaillageContext, Member, Translator, str | None], Awaitable[str | int]]


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


def answer(kind: str) -> Callable[[Answer], Callable[..., Any]]:
    """A typed answer in state ``kind``: member re-checked, refusals explained, question kept."""

    def decorate(func: Answer) -> Callable[..., Any]:
        @member_only(action=f"projects_{kind}")
        @wraps(func)
        async def wrapper(
            update: Update, context: MaillageContext, member: Member, t: Translator
        ) -> str | int:
            try:
                return await func(update, context, member, t, typed_text(update))
            except ProjectError as error:
                await refuse(update, t, error)
                if error.code in ("gone", "moved_on", "not_holder"):
                    return await done(context, member)
            except DateTimeInputError as error:
                await say(update, datetime_error_text(t, error))
            except StaleInput:
                await say(update, t("projects.stale_input"))
                return await done(context, member)
            return kind

        return wrapper

    return decorate
