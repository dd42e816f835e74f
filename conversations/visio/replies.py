"""Small reply helpers of the visio handlers: multi-part answers, refusals, notes to a member."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from typing import Any

from telegram import Update
from telegram.error import Forbidden

from bot.context import MaillageContext
from bot.domain.visio import VisioError
from bot.i18n import Translator
from conversations.common import acknowledge, keyboard, notify, say
from schedules.visio.messages import Rows

logger = logging.getLogger(__name__)


async def say_parts(update: Update, parts: Sequence[str], rows: Rows | None = None) -> None:
    """Send each part as a message, the buttons under the last one."""
    for number, part in enumerate(parts, start=1):
        markup = keyboard(rows) if rows and number == len(parts) else None
        await say(update, part, markup)


async def refuse(update: Update, t: Translator, error: VisioError) -> None:
    """Explain a refusal: a toast for a button press, a message for typed text."""
    await notify(update, t(f"visio.error.{error.code}", **error.params))


async def tell_member(context: MaillageContext, user_id: int, key: str, **params: Any) -> None:
    """Write to another member in their language; a member who blocked the bot is marked."""
    services = context.services
    member = await services.members.get(user_id)
    if member is None:
        return
    t = services.translator(member.language)
    try:
        await context.bot.send_message(user_id, t(key, **params))
    except Forbidden:
        logger.info("member %s blocked the bot; visio note not delivered", user_id)
        await services.members.set_reachable(user_id, False)


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
