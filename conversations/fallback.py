"""What is left: unknown commands, stray text, expired buttons, blocked bots and errors."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberUpdated, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import MaillageContext
from conversations.cancel import CANCEL_COMMANDS, nothing_to_cancel
from conversations.common import acknowledge, say, translator_for

logger = logging.getLogger(__name__)


async def unknown_command(update: Update, context: MaillageContext) -> None:
    """A command nobody handles (in a group, not one addressed to another bot)."""
    message = update.effective_message
    assert message is not None
    if message.chat.type != ChatType.PRIVATE and addressed_elsewhere(message, context.bot.username):
        return  # /command@other_bot: meant for another bot of the group
    t = await translator_for(update, context)
    await say(update, t("fallback.unknown_command"))


def addressed_elsewhere(message: Message, username: str) -> bool:
    """Whether a command is ``/command@<another bot>``."""
    words = (message.text or "").split(maxsplit=1)
    _, at, target = (words[0] if words else "").partition("@")
    return bool(at) and target.lower() != username.lower()


async def stray_message(update: Update, context: MaillageContext) -> None:
    """Text or media outside any conversation: point to the menu or to /start."""
    t = await translator_for(update, context)
    assert update.effective_user is not None
    member = await context.services.members.get(update.effective_user.id)
    registered = member is not None and member.is_registered
    await say(update, t("fallback.text" if registered else "fallback.not_registered"))


async def expired_button(update: Update, context: MaillageContext) -> None:
    """A button whose payload no handler accepts now: stale or forged."""
    t = await translator_for(update, context)
    assert update.callback_query is not None
    await acknowledge(update.callback_query, t("buttons.expired"))


async def track_bot_membership(update: Update, context: MaillageContext) -> None:
    """A member blocked or unblocked the bot; the bot joined or left a group chat."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    present = change.new_chat_member.status not in (ChatMember.BANNED, ChatMember.LEFT)
    services = context.services
    if change.chat.type == "private":
        await services.members.set_reachable(change.chat.id, present)
    else:
        title = change.chat.title or str(change.chat.id)
        await services.group_chats.record(change.chat.id, title, present, services.clock.now())


async def on_error(update: object, context: MaillageContext) -> None:
    """Log first; tell the user something went wrong (not for a refused chat)."""
    error = context.error
    if isinstance(error, BadRequest) and error.message.lower() == "chat not found":
        # Telegram only sends updates of chats that exist: a server or client that sends
        # one of a chat it does not know gets no traceback, and no reply there either.
        logger.warning("Telegram does not know the chat of an update: %s", error.message)
        return
    if isinstance(error, Forbidden):
        # The refused chat is not necessarily the acting member's: whoever sends to another
        # member marks them (conversations.common.tell_member); a member who blocks the bot
        # is marked by the my_chat_member update Telegram sends.
        logger.warning("a message was refused by Telegram: %s", error.message)
        return
    logger.error("error while handling an update", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        t = await translator_for(update, context)
        try:
            await say(update, t("errors.generic"))
        except Exception:  # the chat may itself be the problem; the error is logged above
            logger.warning("could not tell the user about the error", exc_info=True)


def build() -> list[BaseHandler]:
    """Handlers that catch whatever the features did not."""
    return [
        CommandHandler(CANCEL_COMMANDS, nothing_to_cancel),
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.ChatType.PRIVATE, stray_message),
        CallbackQueryHandler(expired_button),
    ]


def bot_membership_handler() -> BaseHandler:
    """Tracks my_chat_member updates (private chats and groups)."""
    return ChatMemberHandler(track_bot_membership, ChatMemberHandler.MY_CHAT_MEMBER)
