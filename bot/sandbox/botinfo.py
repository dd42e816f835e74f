"""Bot API methods about the bot itself: identity, updates, webhook, commands, descriptions."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.sandbox import errors
from bot.sandbox.params import Params
from bot.sandbox.world import World

_COMMAND = re.compile(r"[a-z0-9_]{1,32}\Z")
MAX_COMMANDS = 100
COMMAND_DESCRIPTION_LIMIT = 256
_TEXT_LIMITS = {
    "description": (512, errors.DESCRIPTION_TOO_LONG),
    "short_description": (120, errors.SHORT_DESCRIPTION_TOO_LONG),
    "name": (64, "Bad Request: bot name is too long"),
}


def get_me(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``getMe``."""
    return {
        **world.bot.to_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": not world.privacy_mode,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_updates(world: World, params: Params) -> list[dict[str, Any]]:
    """Bot API ``getUpdates``: offsets (also ``-N``), clamped limit, long poll, 409s."""
    if world.settings["webhook"] is not None:
        raise errors.ApiError(409, errors.CONFLICT_WEBHOOK)
    allowed = params.json("allowed_updates", "Bad Request: can't parse allowed_updates")
    if allowed is not None:
        world.updates.set_allowed(allowed)
    return await world.updates.get(
        params.integer("offset", 0) or 0,
        params.integer("limit", 100) or 100,
        params.integer("timeout", 0) or 0,
    )


def set_webhook(world: World, params: Params) -> bool:
    """Bot API ``setWebhook`` (state only, nothing is POSTed); an empty URL removes it."""
    url = params.text("url") or ""
    if params.boolean("drop_pending_updates"):
        world.updates.drop_pending()
    if not url:
        world.settings["webhook"] = None
        return True
    if not url.startswith("https://"):
        raise errors.bad_request(errors.WEBHOOK_URL_INVALID)
    allowed = params.json("allowed_updates", "Bad Request: can't parse allowed_updates")
    if allowed is not None:
        world.updates.set_allowed(allowed)
    world.settings["webhook"] = {
        "url": url,
        "max_connections": params.integer("max_connections", 40),
        "ip_address": params.text("ip_address"),
        "allowed_updates": allowed,
    }
    return True


def delete_webhook(world: World, params: Params) -> bool:
    """Bot API ``deleteWebhook``."""
    if params.boolean("drop_pending_updates"):
        world.updates.drop_pending()
    world.settings["webhook"] = None
    return True


def get_webhook_info(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``getWebhookInfo``."""
    hook = world.settings["webhook"] or {}
    info: dict[str, Any] = {
        "url": hook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(world.updates),
    }
    for key in ("max_connections", "ip_address", "allowed_updates"):
        if hook.get(key) is not None:
            info[key] = hook[key]
    return info


def _commands_key(params: Params) -> tuple[str, str]:
    scope = params.json("scope", errors.SCOPE_UNPARSABLE) or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise errors.bad_request(errors.SCOPE_UNPARSABLE)
    return json.dumps(scope, sort_keys=True), params.text("language_code") or ""


def set_my_commands(world: World, params: Params) -> bool:
    """Bot API ``setMyCommands``, per scope and language; an empty list deletes them."""
    commands = params.json("commands", errors.COMMANDS_UNPARSABLE)
    if commands is None:
        raise errors.missing("commands")
    if not isinstance(commands, list):
        raise errors.bad_request(errors.COMMANDS_UNPARSABLE)
    if len(commands) > MAX_COMMANDS:
        raise errors.bad_request(errors.BOT_COMMANDS_TOO_MUCH)
    kept = []
    for command in commands:
        if not isinstance(command, dict):
            raise errors.bad_request(errors.COMMANDS_UNPARSABLE)
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND.match(name.removeprefix("/")):
            raise errors.bad_request(errors.BOT_COMMAND_INVALID)
        if (
            not isinstance(description, str)
            or not description.strip()
            or len(description) > COMMAND_DESCRIPTION_LIMIT
        ):
            raise errors.bad_request(errors.BOT_COMMAND_DESCRIPTION_INVALID)
        kept.append({"command": name.removeprefix("/"), "description": description})
    key = _commands_key(params)
    if kept:
        world.settings["commands"][key] = kept
    else:
        world.settings["commands"].pop(key, None)
    return True


def get_my_commands(world: World, params: Params) -> list[dict[str, str]]:
    """Bot API ``getMyCommands`` for exactly this scope and language."""
    return world.settings["commands"].get(_commands_key(params), [])


def delete_my_commands(world: World, params: Params) -> bool:
    """Bot API ``deleteMyCommands``."""
    world.settings["commands"].pop(_commands_key(params), None)
    return True


def _set_text(world: World, params: Params, field: str) -> bool:
    value = params.text(field) or ""
    limit, error = _TEXT_LIMITS[field]
    if len(value) > limit:
        raise errors.bad_request(error)
    world.settings["texts"][(field, params.text("language_code") or "")] = value
    return True


def _get_text(world: World, params: Params, field: str) -> dict[str, str]:
    texts = world.settings["texts"]
    language = params.text("language_code") or ""
    value = texts.get((field, language), texts.get((field, ""), ""))
    if field == "name" and not value:
        value = world.bot.first_name
    return {field: value}


def set_my_description(world: World, params: Params) -> bool:
    """Bot API ``setMyDescription``."""
    return _set_text(world, params, "description")


def get_my_description(world: World, params: Params) -> dict[str, str]:
    """Bot API ``getMyDescription`` (falls back to the default language, like Telegram)."""
    return _get_text(world, params, "description")


def set_my_short_description(world: World, params: Params) -> bool:
    """Bot API ``setMyShortDescription``."""
    return _set_text(world, params, "short_description")


def get_my_short_description(world: World, params: Params) -> dict[str, str]:
    """Bot API ``getMyShortDescription``."""
    return _get_text(world, params, "short_description")


def set_my_name(world: World, params: Params) -> bool:
    """Bot API ``setMyName``."""
    return _set_text(world, params, "name")


def get_my_name(world: World, params: Params) -> dict[str, str]:
    """Bot API ``getMyName``."""
    return _get_text(world, params, "name")


def set_chat_menu_button(world: World, params: Params) -> bool:
    """Bot API ``setChatMenuButton`` (per chat, or the default one)."""
    chat_id = params.integer("chat_id")
    if chat_id is not None and chat_id not in world.chats:
        raise errors.bad_request(errors.CHAT_NOT_FOUND)
    button = params.json("menu_button", "Bad Request: can't parse menu button JSON object")
    world.settings["menu"][chat_id] = button or {"type": "default"}
    return True


def get_chat_menu_button(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``getChatMenuButton``."""
    menus = world.settings["menu"]
    chat_id = params.integer("chat_id")
    return menus.get(chat_id) or menus.get(None) or {"type": "commands"}
