"""Updates a hostile or merely unusual client can send, as raw Bot API JSON.

Shared by the reproduction tests and the property-based test of
``tests/e2e/test_hostile_updates.py``; every update goes through
``Sandbox.inject_update`` and the real HTTP getUpdates path.
"""

from __future__ import annotations

import itertools
from typing import Any

BOT_USERNAME = "maillage_bot"
DATE = 1_900_000_000
_ids = itertools.count(700_000)


def user(user_id: int, first_name: str = "Zoé", language: str | None = "fr") -> dict[str, Any]:
    """A Bot API ``User``."""
    raw: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language is not None:
        raw["language_code"] = language
    return raw


def private_chat(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": "Zoé"}


SUPERGROUP = {"id": -1_001_234_567_890, "type": "supergroup", "title": "Super"}  # chats the
# tests create in the sandbox (as basic groups) with these ids, so the bot could answer there
CHANNEL = {"id": -1_009_876_543_210, "type": "channel", "title": "Chaîne"}
GROUP = {"id": -4_999_999_999, "type": "group", "title": "Groupe"}
CHATS = (SUPERGROUP, CHANNEL, GROUP)


def message(
    user_id: int | None,
    text: str | None = "bonjour",
    chat: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Bot API ``Message`` (``user_id=None``: no ``from``)."""
    raw: dict[str, Any] = {
        "message_id": next(_ids),
        "date": DATE,
        "chat": chat or private_chat(user_id or 1),
    }
    if user_id is not None:
        raw["from"] = user(user_id)
    if text is not None:
        raw["text"] = text
    raw.update(extra)
    return raw


def command(user_id: int, text: str, **extra: Any) -> dict[str, Any]:
    """A message starting with a command, with its ``bot_command`` entity."""
    length = len(text.split(" ", 1)[0].encode("utf-16-le")) // 2
    return message(
        user_id, text, entities=[{"type": "bot_command", "offset": 0, "length": length}], **extra
    )


def callback(user_id: int, data: str | None, **where: Any) -> dict[str, Any]:
    """A Bot API ``CallbackQuery`` (``where``: ``message=...`` or ``inline_message_id=...``)."""
    raw: dict[str, Any] = {
        "id": str(next(_ids)),
        "from": user(user_id),
        "chat_instance": "42",
        **where,
    }
    if data is not None:
        raw["data"] = data
    return raw


def chat_member_updated(user_id: int, chat: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    who = {"id": 123456789, "is_bot": True, "first_name": "Maillage", "username": BOT_USERNAME}

    def member(status: str) -> dict[str, Any]:
        return {"status": status, "user": who} | ({"until_date": 0} if status == "kicked" else {})

    return {
        "chat": chat,
        "from": user(user_id),
        "date": DATE,
        "old_chat_member": member(old),
        "new_chat_member": member(new),
    }


def poll(poll_id: str = "999") -> dict[str, Any]:
    return {
        "id": poll_id,
        "question": "?",
        "options": [
            {"persistent_id": "0", "text": "a", "voter_count": 1},
            {"persistent_id": "1", "text": "b", "voter_count": 0},
        ],
        "total_voter_count": 1,
        "is_closed": False,
        "is_anonymous": False,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": True,
        "members_only": False,
    }


def catalogue(user_id: int, stranger: int) -> dict[str, dict[str, Any]]:
    """One update of every kind the issue lists; ``user_id`` has a chat with the bot.

    ``stranger`` is a user the bot never met (no chat, no consent).
    """
    surrogate = "🙂🙂 salut"
    return {
        "edited_message": {"edited_message": command(user_id, "/start", edit_date=DATE + 5)},
        "edited_text": {"edited_message": message(user_id, "corrigé", edit_date=DATE + 5)},
        "channel_post": {"channel_post": message(None, "/aide", chat=CHANNEL)},
        "channel_post_command": {
            "channel_post": command(0, "/start", chat=CHANNEL, sender_chat=CHANNEL) | {"from": None}
        },
        "edited_channel_post": {"edited_channel_post": message(None, "x", chat=CHANNEL)},
        "callback_inline_message": {
            "callback_query": callback(user_id, "consent:1:yes", inline_message_id="AAQ")
        },
        "callback_inaccessible_message": {
            "callback_query": callback(
                user_id,
                "menu:1:profile",
                message={"message_id": 1, "date": 0, "chat": private_chat(user_id)},
            )
        },
        "callback_without_data": {
            "callback_query": callback(user_id, None, inline_message_id="AAQ", game_short_name="g")
        },
        "inline_query": {
            "inline_query": {"id": "1", "from": user(user_id), "query": "abc", "offset": ""}
        },
        "chosen_inline_result": {
            "chosen_inline_result": {"result_id": "1", "from": user(user_id), "query": "abc"}
        },
        "my_chat_member_private": {
            "my_chat_member": chat_member_updated(
                user_id, private_chat(user_id), "member", "kicked"
            )
        },
        "my_chat_member_stranger": {
            "my_chat_member": chat_member_updated(
                stranger, private_chat(stranger), "kicked", "member"
            )
        },
        "my_chat_member_channel": {
            "my_chat_member": chat_member_updated(user_id, CHANNEL, "left", "member")
        },
        "chat_member": {"chat_member": chat_member_updated(user_id, SUPERGROUP, "left", "member")},
        "chat_join_request": {
            "chat_join_request": {
                "chat": SUPERGROUP,
                "from": user(stranger),
                "user_chat_id": stranger,
                "date": DATE,
            }
        },
        "poll": {"poll": poll()},
        "poll_answer_stranger": {
            "poll_answer": {
                "poll_id": "999",
                "user": user(stranger),
                "option_ids": [0],
                "option_persistent_ids": ["0"],
            }
        },
        "poll_answer_voter_chat": {
            "poll_answer": {
                "poll_id": "999",
                "voter_chat": SUPERGROUP,
                "option_ids": [1],
                "option_persistent_ids": ["1"],
            }
        },
        "message_reaction": {
            "message_reaction": {
                "chat": private_chat(user_id),
                "message_id": 1,
                "user": user(user_id),
                "date": DATE,
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            }
        },
        "shipping_query": {
            "shipping_query": {
                "id": "s1",
                "from": user(user_id),
                "invoice_payload": "p",
                "shipping_address": {
                    "country_code": "FR",
                    "state": "",
                    "city": "Die",
                    "street_line1": "1 rue",
                    "street_line2": "",
                    "post_code": "26150",
                },
            }
        },
        "pre_checkout_query": {
            "pre_checkout_query": {
                "id": "p1",
                "from": user(user_id),
                "currency": "EUR",
                "total_amount": 100,
                "invoice_payload": "p",
            }
        },
        "message_without_from": {"message": message(None, "/start", chat=private_chat(user_id))},
        "message_from_sender_chat_group": {
            "message": command(user_id, "/aide", chat=SUPERGROUP, sender_chat=SUPERGROUP)
            | {"from": user(1087968824, "Group")}
        },
        "message_from_sender_chat_channel": {
            "message": message(user_id, "salut", chat=GROUP, sender_chat=CHANNEL)
        },
        "huge_text": {"message": message(user_id, "é" * 5000)},
        "entities_outside": {
            "message": message(
                user_id,
                "/aide",
                entities=[
                    {"type": "bot_command", "offset": 3, "length": 40},
                    {"type": "bold", "offset": 100, "length": 5},
                ],
            )
        },
        "entities_split_surrogate": {
            "message": message(
                user_id,
                surrogate,
                entities=[{"type": "bot_command", "offset": 1, "length": 2}],
            )
        },
        "entity_negative": {
            "message": message(
                user_id, "/start", entities=[{"type": "bot_command", "offset": -3, "length": 9}]
            )
        },
        "callback_random_bytes": {
            "callback_query": callback(
                user_id,
                bytes(range(192, 256)).decode("latin-1")[:64],
                message=message(user_id, "ancien"),
            )
        },
        "callback_forged_prefixes": {
            "callback_query": callback(
                user_id, "consent:9:yes:::::::", message=message(user_id, "ancien")
            )
        },
        "callback_colons": {
            "callback_query": callback(user_id, ":::::::", message=message(user_id, "ancien"))
        },
        "unreadable_my_chat_member": {
            "my_chat_member": {"chat": private_chat(user_id), "new_chat_member": {"status": "?"}}
        },
        "unreadable_poll": {"poll": {"id": "1"}},
        "unknown_kind": {"something_new": {"id": 1, "from": user(user_id)}},
        "unknown_kind_scalar": {"something_new": 3},
        "empty_update": {},
        "nul_and_rtl": {"message": message(user_id, "a\x00b\u202eﺱﻼﻣ\u200f/start\x00")},
        "deep_link_garbage": {
            "message": command(user_id, "/start ../../%00' OR 1=1;--éé" + "x" * 90)
        },
        "deep_link_kinds": {"message": command(user_id, "/start codev-\u202e;;;")},
        "command_other_bot": {"message": command(user_id, "/aide@othebot")},
        "command_this_bot": {"message": command(user_id, f"/aide@{BOT_USERNAME}")},
        "stranger_message": {"message": message(stranger, "bonjour", chat=private_chat(stranger))},
        "stranger_callback": {
            "callback_query": callback(stranger, "consent:1:yes", message=message(stranger, "x"))
        },
        "business_message": {
            "business_message": message(user_id, "pro", business_connection_id="bc1")
        },
        "message_with_unknown_fields": {
            "message": message(user_id, "hé", brand_new_field={"a": [1, 2]}, is_from_mars=True)
        },
    }
