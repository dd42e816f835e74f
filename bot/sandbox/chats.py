"""Bot API methods about chats: their full info, who is a member, chat actions."""

from __future__ import annotations

from typing import Any

from bot.sandbox import errors
from bot.sandbox.model import Chat
from bot.sandbox.params import Params
from bot.sandbox.world import World

_FULL_INFO = {
    "accent_color_id": 0,
    "max_reaction_count": 11,
    "accepted_gift_types": {
        "unlimited_gifts": False,
        "limited_gifts": False,
        "unique_gifts": False,
        "premium_subscription": False,
        "gifts_from_channels": False,
    },
}


def _chat(world: World, params: Params) -> Chat:
    chat = world.chats.get(params.chat_id())
    if chat is None:
        raise errors.bad_request(errors.CHAT_NOT_FOUND)
    return chat


def get_chat(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``getChat`` (``ChatFullInfo`` with the required fields)."""
    return {**_chat(world, params).api, **_FULL_INFO}


def get_chat_member(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``getChatMember``: ``member`` (private chat's user, group members) or ``left``."""
    chat = _chat(world, params)
    user_id = params.integer("user_id")
    if user_id == world.bot.id:
        member: dict[str, Any] = {"status": chat.bot_status, "user": world.bot.to_api()}
        if chat.bot_status == "kicked":
            member["until_date"] = 0
        return member
    user = world.users.get(user_id or 0)
    if user is None:
        raise errors.bad_request(errors.USER_NOT_FOUND)
    inside = chat.id == user.id if chat.private else user.id in chat.member_ids
    return {"status": "member" if inside else "left", "user": user.to_api()}


def send_chat_action(world: World, params: Params) -> bool:
    """Bot API ``sendChatAction``: checks access to the chat, shows nothing."""
    world.chat_for_bot(params.chat_id())
    return True
