"""Typed answers of the FAQ: begin an input, take its text, re-check the role, explain refusals."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from telegram import Message, MessageEntity, Update
from telegram.ext import ConversationHandler

from bot.context import MaillageContext
from bot.domain.faq import FaqError
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import acknowledge, member_only, say
from conversations.faq.replies import refuse

END = ConversationHandler.END
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
    if update.callback_query is not None:
        await acknowledge(update.callback_query)
    await say(update, question)
    return kind


async def done(context: MaillageContext, member: Member) -> int:
    """Forget the pending input and leave the conversation."""
    await context.services.faq.done(member.user_id)
    return END


def _is_command(message: Message) -> bool:
    """Whether the message is a command (``/passer``), not text that starts with a slash."""
    return any(e.type == MessageEntity.BOT_COMMAND and e.offset == 0 for e in message.entities)


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
            message = update.effective_message
            text = None
            if message is not None and message.text and not _is_command(message):
                text = message.text_html if html else message.text
            try:
                return await func(update, context, member, t, text)
            except FaqError as error:
                if error.code == "stale":
                    await say(update, t("faq.error.stale"))
                    return await done(context, member)
                await refuse(update, t, error)
            return kind

        return wrapper

    return decorate
