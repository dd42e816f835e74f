"""What a member who floods the bot is told (see ``bot.update_processor``'s flood limit)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import MaillageContext
from conversations.common import acknowledge, translator_for

logger = logging.getLogger(__name__)


async def tell_flooding(
    application: Application[Any, Any, Any, Any, Any, Any], update: Update, first: bool
) -> None:
    """A dropped press gets a toast (its spinner stops); the first dropped message, a note.

    Telling is best effort: a member who blocked the bot meanwhile is not an error.
    """
    context = MaillageContext(application)
    try:
        t = await translator_for(update, context)
        if update.callback_query is not None:
            await acknowledge(update.callback_query, t("flood.press"))
        elif first and update.effective_chat is not None:
            await application.bot.send_message(update.effective_chat.id, t("flood.slow_down"))
    except TelegramError as error:
        logger.info("could not tell a flooding chat to slow down: %s", error.message)
