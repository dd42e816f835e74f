"""Writing to one member outside the update they sent: their language, their block respected."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import InlineKeyboardMarkup
from telegram.error import Forbidden

from bot.context import MaillageContext
from bot.i18n import Translator
from bot.localized import Rows, keyboard_data

logger = logging.getLogger(__name__)


def inline_markup(rows: Rows) -> InlineKeyboardMarkup | None:
    """Button rows as python-telegram-bot's inline keyboard (None without buttons)."""
    data = keyboard_data(rows)
    return InlineKeyboardMarkup.de_json(data, None) if data else None


async def tell_rendered(
    context: MaillageContext,
    user_id: int,
    render: Callable[[Translator], str],
    buttons: Callable[[Translator], Rows] | None = None,
) -> bool:
    """Send one message to a member in their language; one who blocked the bot is marked."""
    services = context.services
    member = await services.members.get(user_id)
    if member is None:
        return False
    t = services.translator(member.language)
    reply = inline_markup(buttons(t)) if buttons else None
    try:
        await context.bot.send_message(user_id, render(t), reply_markup=reply)
    except Forbidden:
        logger.info("member %s blocked the bot; message not delivered", user_id)
        await services.members.set_reachable(user_id, False)
        return False
    return True
