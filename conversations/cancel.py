"""/annuler (/cancel) inside conversations, and the answer to other commands mid-conversation."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import MaillageContext
from conversations.common import say, translator_for

CANCEL_COMMANDS = ["annuler", "cancel"]


async def cancel(update: Update, context: MaillageContext) -> int:
    """Leave the current conversation; what was already answered stays stored."""
    t = await translator_for(update, context)
    await say(update, t("cancel.done"))
    return ConversationHandler.END


async def explain_pending(update: Update, context: MaillageContext) -> None:
    """Another command arrived mid-conversation: say how to go on or stop."""
    t = await translator_for(update, context)
    await say(update, t("cancel.pending"))


def cancel_handlers() -> list[BaseHandler]:
    """Fallbacks shared by every conversation."""
    return [
        CommandHandler(CANCEL_COMMANDS, cancel),
        MessageHandler(filters.COMMAND, explain_pending),
    ]


async def nothing_to_cancel(update: Update, context: MaillageContext) -> None:
    """/annuler outside any conversation."""
    t = await translator_for(update, context)
    await say(update, t("cancel.nothing"))
