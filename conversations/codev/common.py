"""Helpers of the co-development handlers: access and refusals in the member's words, buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import wraps
from typing import Any

from telegram import CallbackQuery, Update
from telegram.ext import ConversationHandler

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.codev.model import CodevError
from bot.domain.datetime_input import DateTimeInputError
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import member_only, notify, unpack_press
from conversations.dates import datetime_error_text
from schedules.codev.buttons import number

END = ConversationHandler.END
InputError = CodevError | DateTimeInputError
Handler = Callable[..., Awaitable[Any]]


def error_text(t: Translator, error: InputError) -> str:
    """Why a request was refused, in the member's language (never naming another group)."""
    if isinstance(error, DateTimeInputError):
        return datetime_error_text(t, error)
    params = {k: v for k, v in error.params.items() if k != "reason"}
    text = t(f"codev.error.{error.code}", **params)
    reason = error.params.get("reason")
    if isinstance(reason, CodevError | DateTimeInputError):
        return f"{text}\n{error_text(t, reason)}"
    return text


def codev_handler(
    required: Role = Role.MEMBER, action: str | None = None
) -> Callable[[Handler], Handler]:
    """``member_only`` (role re-read, refusals audited), then refusals of the feature explained."""

    def decorate(func: Handler) -> Handler:
        @member_only(required, action or f"codev_{func.__name__}")
        @wraps(func)
        async def wrapper(
            update: Update, context: MaillageContext, member: Member, t: Translator, **kw: Any
        ) -> Any:
            try:
                return await func(update, context, member, t, **kw)
            except (CodevError, DateTimeInputError) as error:
                await notify(update, error_text(t, error))
                return None

        return wrapper

    return decorate


def query_of(update: Update) -> CallbackQuery:
    """The button press of an update."""
    assert update.callback_query is not None
    return update.callback_query


async def pressed(
    update: Update, t: Translator, spec: CallbackSpec, **choices: Sequence[str]
) -> dict[str, Any] | None:
    """The fields of a pressed button: numbers, or one of ``choices`` for the named fields.

    A stale or forged payload gets "ce bouton a expiré" and None.
    """

    def field(values: dict[str, str], name: str) -> Any:
        if name in choices:
            return values[name] if values[name] in choices[name] else None
        return number(values, name)

    def valid(values: dict[str, str]) -> bool:
        return all(field(values, name) is not None for name in values)

    values = await unpack_press(update, t, spec, valid)
    return None if values is None else {name: field(values, name) for name in values}
