"""The machinery of a feature's typed answers: one persistent conversation, a state per input.

A button starts an input: the feature stores what the member's next message answers (its
kind and the row it is about, in the feature's table of pending inputs) and the
conversation waits in the state named after the kind, across restarts. Each state takes
the typed text, ``/passer`` for an optional answer, and answers a sticker, photo or voice
note with a plain "text expected". Used by visio, the FAQ and projects.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from functools import wraps
from typing import Any, Protocol

from telegram import Message, MessageEntity, Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import MaillageContext
from bot.domain.datetime_input import DateTimeInputError
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import acknowledge, member_only, say, translator_for
from conversations.dates import datetime_error_text

END = ConversationHandler.END
SKIP_COMMANDS = ["passer", "skip"]
Answer = Callable[[Update, MaillageContext, Member, Translator, str | None], Awaitable[str | int]]


class StaleInput(Exception):
    """The conversation waits for an answer the database no longer expects."""


class Pending(Protocol):
    """What a member's next message answers: the input's kind and the row it is about."""

    kind: str
    ref: int | None


class PendingInputs(Protocol):
    """A feature service that keeps what each member is about to type."""

    async def pending_input(self, user_id: int) -> Pending | None:
        """What the member's next message answers, if anything."""
        ...

    async def input_done(self, user_id: int) -> None:
        """Nothing pending any more."""
        ...


async def ask(update: Update, question: str, kind: str) -> str:
    """Answer the press that started the input (if any), ask, and wait in the state ``kind``."""
    if update.callback_query is not None:
        await acknowledge(update.callback_query)
    await say(update, question)
    return kind


async def pending_ref(inputs: PendingInputs, member: Member, kind: str) -> int:
    """The row the pending answer ``kind`` is about; StaleInput if it is not the one expected."""
    pending = await inputs.pending_input(member.user_id)
    if pending is None or pending.kind != kind or pending.ref is None:
        raise StaleInput
    return pending.ref


async def leave(inputs: PendingInputs, member: Member) -> int:
    """Forget the pending input and leave the conversation."""
    await inputs.input_done(member.user_id)
    return END


def typed_text(update: Update, html: bool = False) -> str | None:
    """The answer typed (Telegram HTML if ``html``), or None for ``/passer`` or no text.

    Text that merely starts with a slash is an answer; only a command (``/passer``) is not.
    """
    message = update.effective_message
    if message is None or not message.text or _is_command(message):
        return None
    return message.text_html if html else message.text


def _is_command(message: Message) -> bool:
    return any(e.type == MessageEntity.BOT_COMMAND and e.offset == 0 for e in message.entities)


def text_expected(key: str) -> Callable[[Update, MaillageContext], Awaitable[None]]:
    """A handler answering a non-text message with the catalog text ``key``."""

    async def reply(update: Update, context: MaillageContext) -> None:
        t = await translator_for(update, context)
        await say(update, t(key))

    return reply


def typed_states(
    answers: Mapping[str, Callable[..., Any]], skippable: Collection[str], text_key: str
) -> dict[object, list[BaseHandler]]:
    """For each input kind: its answer, ``/passer`` if optional, the reply to a non-text."""
    not_text = text_expected(text_key)

    def state(kind: str) -> list[BaseHandler]:
        handlers: list[BaseHandler] = [
            MessageHandler(filters.TEXT & ~filters.COMMAND, answers[kind]),
            MessageHandler(~filters.COMMAND, not_text),
        ]
        if kind in skippable:
            handlers.insert(0, CommandHandler(SKIP_COMMANDS, answers[kind]))
        return handlers

    return {kind: state(kind) for kind in answers}


def typed_answers(
    feature: str,
    inputs: Callable[[MaillageContext], PendingInputs],
    errors: type[Exception],
    refuse: Callable[[Update, Translator, Any], Awaitable[None]],
    stale_key: str,
    ending: Collection[str] = (),
) -> Callable[..., Callable[[Answer], Callable[..., Any]]]:
    """The feature's decorator of typed answers: ``answer(kind, role)``.

    The role is re-checked (refusals audited as ``<feature>_<kind>``), the typed text handed
    over (None for ``/passer``); a refusal (``errors``) is explained and the question kept,
    unless its code is in ``ending``; a refused date is explained; a stale input ends it.
    """

    def answer(kind: str, role: Role = Role.MEMBER) -> Callable[[Answer], Callable[..., Any]]:
        def decorate(func: Answer) -> Callable[..., Any]:
            @member_only(role, f"{feature}_{kind}")
            @wraps(func)
            async def wrapper(
                update: Update, context: MaillageContext, member: Member, t: Translator
            ) -> str | int:
                try:
                    return await func(update, context, member, t, typed_text(update))
                except errors as error:
                    await refuse(update, t, error)
                    if getattr(error, "code", None) in ending:
                        return await leave(inputs(context), member)
                except DateTimeInputError as error:
                    await say(update, datetime_error_text(t, error))
                except StaleInput:
                    await say(update, t(stale_key))
                    return await leave(inputs(context), member)
                return kind

            return wrapper

        return decorate

    return answer
