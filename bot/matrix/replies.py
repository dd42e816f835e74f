"""What a member's Matrix message means to the bot: a text, a command, or a button press."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.matrix.render import choices

_NUMBER = re.compile(r"\s*(\d{1,3})\s*[.)]?\s*")
_BANG_COMMAND = re.compile(r"!([A-Za-z_]\w*)")
_DEEP_LINK = re.compile(r"<?https://t\.me/\w+\?start=([\w-]{1,64})>?")


@dataclass(frozen=True)
class Press:
    """The member chose button ``data`` of bot message ``message_id``."""

    message_id: int
    data: str


def as_text(body: str) -> str:
    """The text the bot receives: ``!commande`` becomes ``/commande``.

    Element asks "unknown command, send anyway?" for ``/start``; Tchap users write
    ``!start`` as bots on Matrix usually ask, and both reach the same handler. An invitation
    link (``https://t.me/<bot>?start=<code>``) opens nothing on Matrix: pasted to the bot, it
    becomes the ``/start <code>`` Telegram would have sent.
    """
    stripped = body.strip()
    link = _DEEP_LINK.fullmatch(stripped)
    if link is not None:  # a Telegram invitation link pasted: what opening it sends
        return f"/start {link.group(1)}"
    if _BANG_COMMAND.match(stripped):
        return "/" + stripped[1:]
    return body


def press(body: str, last_bot_message: dict[str, Any] | None) -> Press | None:
    """A press if ``body`` names a choice of the bot's last message, else None.

    Only the bot's latest message counts (the one on screen): once the bot has written
    something else, a number is a text answer again (a quantity, a year, a postcode). A text
    equal to a choice's label presses it (choices "4" to "8": "6" means six, not choice 6);
    otherwise a number presses the choice of that rank.
    """
    if last_bot_message is None:
        return None
    numbered = choices(last_bot_message.get("buttons") or [])
    labelled = [b for b in numbered if b["text"].strip() == body.strip()]
    match = _NUMBER.fullmatch(body)
    if len(labelled) == 1:
        chosen = labelled[0]
    elif match is not None and 1 <= int(match.group(1)) <= len(numbered):
        chosen = numbered[int(match.group(1)) - 1]
    else:
        return None
    return Press(last_bot_message["message_id"], chosen["callback_data"])


def out_of_range(body: str, last_bot_message: dict[str, Any] | None) -> int | None:
    """How many choices there are, if ``body`` is a number none of them has (else None)."""
    if last_bot_message is None or _NUMBER.fullmatch(body) is None:
        return None
    count = len(choices(last_bot_message.get("buttons") or []))
    if count == 0 or press(body, last_bot_message) is not None:
        return None
    return count
