"""Updates maillage does not serve stop here, before any feature sees them.

The bot serves four kinds of update (:data:`SERVED_UPDATES`, also passed to Telegram as
``allowed_updates`` so that it sends no others). A client or server that sends other kinds
anyway (edited messages, channel posts, inline queries, payments, reactions, kinds newer
than the library...) is ignored here, in the first handler group, instead of reaching
handlers that assume a member behind a message: python-telegram-bot's ``CommandHandler``
and ``MessageHandler`` also match edited messages and channel posts, which would restart
``/start`` on an edit or answer a channel. Ignored as well: messages without a sender or
sent on behalf of a chat (an anonymous admin, a linked channel), whom nothing can be
authorised for, private messages whose chat is not the sender's, and served kinds with
fields missing (the library reads some of them with ``None`` where Telegram always sends
a value). A button press is never dropped silently: one without an accessible message of
the bot (an inline message the bot never sent, or one too old or deleted) is answered
"this button has expired", so the member's spinner stops.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType, UpdateType
from telegram.ext import ApplicationHandlerStop, BaseHandler

from bot.context import MaillageContext
from conversations.common import acknowledge, translator_for

logger = logging.getLogger(__name__)

SERVED_UPDATES: tuple[str, ...] = (
    UpdateType.MESSAGE,
    UpdateType.CALLBACK_QUERY,
    UpdateType.POLL_ANSWER,
    UpdateType.MY_CHAT_MEMBER,
)


def unserved_reason(update: object) -> str | None:
    """Why no feature should see ``update``, or None when the features serve it."""
    if not isinstance(update, Update):
        return "not an update"
    if update.message is not None:
        if update.message.from_user is None or update.message.chat is None:
            return "a message without a sender"
        if update.message.sender_chat is not None:
            return "a message sent on behalf of a chat"
        chat = update.message.chat
        if chat.type == ChatType.PRIVATE and chat.id != update.message.from_user.id:
            return "a private message from someone else than the chat's person"
        return None
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        # python-telegram-bot reads an inaccessible message (date 0) as a Message too.
        if query.from_user is None or not isinstance(message, Message) or not message.is_accessible:
            return "a button press without an accessible message"
        return None
    if update.poll_answer is not None:
        return None if update.poll_answer.option_ids is not None else "an incomplete poll answer"
    if update.my_chat_member is not None:
        change = update.my_chat_member
        # python-telegram-bot reads a membership change with fields missing as None.
        complete = None not in (
            change.chat,
            change.from_user,
            change.old_chat_member,
            change.new_chat_member,
        )
        return None if complete else "an incomplete membership change"
    return "a kind of update the bot does not serve"


async def stop_unserved(update: Update, context: MaillageContext) -> None:
    """Log at debug level, answer a button press as expired, and stop handling."""
    logger.debug("ignored update %s: %s", update.update_id, unserved_reason(update))
    if update.callback_query is not None:
        t = await translator_for(update, context)
        await acknowledge(update.callback_query, t("buttons.expired"))
    raise ApplicationHandlerStop


class UnservedUpdateHandler(BaseHandler[Update, MaillageContext, None]):
    """Matches exactly the updates :func:`unserved_reason` refuses."""

    def __init__(self) -> None:
        super().__init__(stop_unserved)

    def check_update(self, update: object) -> bool:
        """True for an update no feature serves."""
        return unserved_reason(update) is not None
