"""The Bot API methods the sandbox implements, by canonical name (lookup is case-insensitive).

Implemented: getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo, setMyCommands,
getMyCommands, deleteMyCommands, setMyDescription, getMyDescription, setMyShortDescription,
getMyShortDescription, setMyName, getMyName, setChatMenuButton, getChatMenuButton,
sendMessage, editMessageText, editMessageCaption, editMessageReplyMarkup, deleteMessage,
answerCallbackQuery, sendPoll, stopPoll, sendDocument, sendPhoto, getFile, getChat,
getChatMember, sendChatAction.  Every other name, including real Telegram methods, answers
404 ``Not Found: method not found``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox import botinfo, chats, media, messaging, polls
from bot.sandbox.params import Params
from bot.sandbox.world import World

Handler = Callable[[World, Params], Any | Awaitable[Any]]

METHODS: dict[str, Handler] = {
    "getMe": botinfo.get_me,
    "getUpdates": botinfo.get_updates,
    "setWebhook": botinfo.set_webhook,
    "deleteWebhook": botinfo.delete_webhook,
    "getWebhookInfo": botinfo.get_webhook_info,
    "setMyCommands": botinfo.set_my_commands,
    "getMyCommands": botinfo.get_my_commands,
    "deleteMyCommands": botinfo.delete_my_commands,
    "setMyDescription": botinfo.set_my_description,
    "getMyDescription": botinfo.get_my_description,
    "setMyShortDescription": botinfo.set_my_short_description,
    "getMyShortDescription": botinfo.get_my_short_description,
    "setMyName": botinfo.set_my_name,
    "getMyName": botinfo.get_my_name,
    "setChatMenuButton": botinfo.set_chat_menu_button,
    "getChatMenuButton": botinfo.get_chat_menu_button,
    "sendMessage": messaging.send_message,
    "editMessageText": messaging.edit_message_text,
    "editMessageCaption": messaging.edit_message_caption,
    "editMessageReplyMarkup": messaging.edit_message_reply_markup,
    "deleteMessage": messaging.delete_message,
    "answerCallbackQuery": messaging.answer_callback_query,
    "sendPoll": polls.send_poll,
    "stopPoll": polls.stop_poll,
    "sendDocument": media.send_document,
    "sendPhoto": media.send_photo,
    "getFile": media.get_file,
    "getChat": chats.get_chat,
    "getChatMember": chats.get_chat_member,
    "sendChatAction": chats.send_chat_action,
}

_BY_LOWER = {name.lower(): name for name in METHODS}


def canonical_name(name: str) -> str | None:
    """The canonical camelCase name of an implemented method, None if unknown."""
    return _BY_LOWER.get(name.lower())
