"""A keycap reaction (1️⃣ to 🔟) on a bot message with choices presses that choice.

Numbered replies stay the primary idiom (docs/matrix.md says why); a reaction is a
shortcut that also reaches older messages, like a Telegram button: a press on a message
whose conversation moved on reaches the bot, which answers it as any stale button. Other
reactions, and keycaps beyond a message's choices, are only reactions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.matrix.render import choices
from bot.sandbox.actions import tap

if TYPE_CHECKING:
    from bot.matrix.bridge import MatrixBridge

KEYCAPS: dict[str, int] = {
    **{f"{n}\ufe0f\u20e3": n for n in range(1, 10)},
    **{f"{n}\u20e3": n for n in range(1, 10)},
    "\U0001f51f": 10,
}
"""Each keycap emoji (with or without the emoji variation selector) and its number."""


async def pressed(bridge: MatrixBridge, room_id: str, event: dict[str, Any]) -> bool:
    """Pass a keycap reaction on a bot message as a press; whether ``event`` is a reaction."""
    if event.get("type") != "m.reaction":
        return False
    relates = event.get("content", {}).get("m.relates_to", {})
    number = KEYCAPS.get(str(relates.get("key", "")))
    found = bridge.message_of(str(relates.get("event_id")), room_id)
    if number is None or found is None:
        return True
    chat_id, message_id = found
    world = bridge.sandbox.world
    message = world.chat(chat_id).messages.get(message_id)
    numbered = choices(message.view()["buttons"]) if message and not message.deleted else []
    if number > len(numbered):
        return True
    user_id = await bridge.user_of(str(event["sender"]))
    tap(world, user_id, message_id, numbered[number - 1]["callback_data"], chat_id=chat_id)
    return True
