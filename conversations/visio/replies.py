"""Small reply helpers of the visio handlers: multi-part answers, refusals, notes to a member."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any, TypeVar

from telegram import Update

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.members import Member
from bot.domain.visio import Topic, VisioError
from bot.i18n import Translator
from conversations.common import acknowledge, keyboard, notify, say, tell_member, unpack_press
from schedules.visio.messages import Rows

logger = logging.getLogger(__name__)
T = TypeVar("T")


async def say_parts(update: Update, parts: Sequence[str], rows: Rows | None = None) -> None:
    """Send each part as a message, the buttons under the last one."""
    for number, part in enumerate(parts, start=1):
        markup = keyboard(rows) if rows and number == len(parts) else None
        await say(update, part, markup)


async def refuse(update: Update, t: Translator, error: VisioError) -> None:
    """Explain a refusal: a toast for a button press, a message for typed text."""
    await notify(update, t(f"visio.error.{error.code}", **error.params))


async def accept(update: Update) -> None:
    """Answer a button press silently (its effect follows)."""
    assert update.callback_query is not None
    await acknowledge(update.callback_query)


async def expire(update: Update, t: Translator) -> None:
    """Answer a stale or forged button press with "this button has expired"."""
    assert update.callback_query is not None
    await acknowledge(update.callback_query, t("buttons.expired"))


def fields(**rules: Collection[str] | None) -> Callable[[dict[str, str]], bool]:
    """A check for ``unpack_press``: each field a number (None) or one of the values given."""

    def check(values: dict[str, str]) -> bool:
        return all(
            values[name].isdigit() if accepted is None else values[name] in accepted
            for name, accepted in rules.items()
        )

    return check


async def pressed_row(
    update: Update,
    t: Translator,
    spec: CallbackSpec,
    key: str,
    fetch: Callable[[int], Awaitable[T | None]],
    **rules: Collection[str] | None,
) -> tuple[dict[str, str], T] | None:
    """The pressed button's fields and the row its ``key`` field names (``fetch``).

    None once the press was answered "expired" (a forged payload, or a row gone).
    """
    values = await unpack_press(update, t, spec, fields(**{key: None}, **rules))
    if values is None:
        return None
    row = await fetch(int(values[key]))
    if row is None:
        await expire(update, t)
        return None
    return values, row


async def tell_author(
    context: MaillageContext, topic: Topic, actor: Member, key: str, **params: Any
) -> None:
    """Tell a topic's author what an animator did with it (not when they did it themselves)."""
    if topic.author_id is not None and topic.author_id != actor.user_id:
        await tell_member(context, topic.author_id, key, **params)
