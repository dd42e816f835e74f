"""Typed answers of the FAQ: begin an input, take its text, re-check the role, explain refusals."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from telegram import Update

from bot.context import MaillageContext
from bot.domain.faq import FaqError
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import member_only, say
from conversations.faq.replies import refuse
from conversations.typed_inputs import END, ask, typed_text

Typed = Callable[[Update, MaillageContext, Member, Translator, str | None], Awaitable[str | int]]


async def begin(
    update: Update,
    context: MaillageContext,
    member: Member,
    kind: str,
    question: str,
    ref: int | None = None,
    draft: Any = None,
) -> str:
    """Store what the next message answers, ask, and wait in the state ``kind``."""
    await context.services.faq.expect(member.user_id, kind, ref, draft)
    return await ask(update, question, kind)


async def done(context: MaillageContext, member: Member) -> int:
    """Forget the pending input and leave the conversation."""
    await context.services.faq.done(member.user_id)
    return END


def typed(kind: str, role: Role = Role.MEMBER, html: bool = False) -> Callable[[Typed], Any]:
    """A typed answer in state ``kind``: role re-checked, refusals explained, question kept.

    ``html``: the text as Telegram HTML (the sender's formatting kept), else plain.
    ``/passer`` arrives as None.
    """

    def decorate(func: Typed) -> Callable[..., Any]:
        @member_only(role, f"faq_{kind}")
        @wraps(func)
        async def wrapper(
            update: Update, context: MaillageContext, member: Member, t: Translator
        ) -> str | int:
            try:
                return await func(update, context, member, t, typed_text(update, html))
            except FaqError as error:
                if error.code == "stale":
                    await say(update, t("faq.error.stale"))
                    return await done(context, member)
                await refuse(update, t, error)
            return kind

        return wrapper

    return decorate
