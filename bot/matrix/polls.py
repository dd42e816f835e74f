"""Bot API polls as MSC3381 Matrix polls, and Matrix votes as the bot's ``poll_answer``.

``sendPoll`` becomes an ``org.matrix.msc3381.poll.start`` event as Element sends it (the
question and answers in ``org.matrix.msc1767.text``, the answers' ids being the options'
persistent ids), with a numbered text fallback for clients without polls; ``stopPoll``
becomes ``org.matrix.msc3381.poll.end``. A vote (``org.matrix.msc3381.poll.response`` or
the stable ``m.poll.response``) becomes the sandbox's ``answer_poll`` action, hence the
``poll_answer`` update the bot already handles; so does a numbered reply ("1", "1 3") to
the poll from a client that shows only the fallback. Matrix votes are room events, seen by
every member: a Telegram "anonymous" poll is not anonymous on Matrix.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from bot.matrix.notices import notice
from bot.matrix.render import replacement
from bot.sandbox.actions import answer_poll
from bot.sandbox.errors import SandboxError

if TYPE_CHECKING:
    from bot.matrix.bridge import MatrixBridge

log = logging.getLogger(__name__)

POLL_START = "org.matrix.msc3381.poll.start"
POLL_END = "org.matrix.msc3381.poll.end"
RESPONSES = frozenset({"org.matrix.msc3381.poll.response", "m.poll.response"})
TEXT = "org.matrix.msc1767.text"
DISCLOSED = "org.matrix.msc3381.poll.disclosed"
_NUMBERS = re.compile(r"\s*\d{1,2}(?:\s*[,;\s]\s*\d{1,2})*\s*")


def start(view: dict[str, Any]) -> dict[str, Any]:
    """The ``poll.start`` content of a sandbox poll message."""
    poll = view["poll"]
    options = poll["options"]
    fallback = "\n".join(
        [poll["question"], *(f"{i}. {o['text']}" for i, o in enumerate(options, 1))]
    )
    return {
        POLL_START: {
            "question": {TEXT: poll["question"]},
            "kind": DISCLOSED,
            "max_selections": len(options) if poll.get("allows_multiple_answers") else 1,
            "answers": [{"id": o["persistent_id"], TEXT: o["text"]} for o in options],
        },
        TEXT: fallback,
        "body": fallback,
    }


def edit(view: dict[str, Any], original_event_id: str) -> tuple[str, dict[str, Any]] | None:
    """The event showing an edit of a bot message: a poll stopped ends, a text is replaced."""
    if "poll" not in view:
        return "m.room.message", replacement(view, original_event_id)
    if not view["poll"].get("is_closed"):
        return None
    ended = notice(None, "matrix.poll_ended")["body"]
    return POLL_END, {
        "m.relates_to": {"rel_type": "m.reference", "event_id": original_event_id},
        POLL_END: {},
        TEXT: ended,
        "body": ended,
    }


def selections(content: dict[str, Any]) -> list[str]:
    """The answer ids a response event selects (unstable or stable shape)."""
    unstable = content.get("org.matrix.msc3381.poll.response")
    chosen = unstable.get("answers") if isinstance(unstable, dict) else content.get("m.selections")
    return [str(answer) for answer in chosen] if isinstance(chosen, list) else []


def numbered_vote(text: str, last_bot: dict[str, Any] | None) -> tuple[str, list[int]] | None:
    """A vote typed as numbers ("2", "1 3") answering the open poll the bot sent last."""
    poll = (last_bot or {}).get("poll")
    if poll is None or poll.get("is_closed") or _NUMBERS.fullmatch(text) is None:
        return None
    chosen = sorted({int(n) - 1 for n in re.findall(r"\d+", text)})
    if not all(0 <= n < len(poll["options"]) for n in chosen):
        return None
    if len(chosen) > 1 and not poll.get("allows_multiple_answers"):
        return None
    return poll["id"], chosen


async def answered(bridge: MatrixBridge, room_id: str, event: dict[str, Any]) -> bool:
    """Pass a poll response event to the bot as a vote; whether ``event`` was one."""
    if event.get("type") not in RESPONSES:
        return False
    content = event.get("content", {})
    found = bridge.message_of(str(content.get("m.relates_to", {}).get("event_id")), room_id)
    if found is None:
        return True
    chat_id, message_id = found
    world = bridge.sandbox.world
    message = world.chat(chat_id).messages.get(message_id)
    if message is None or message.poll is None:
        return True
    poll = message.poll
    ids = [o for o in selections(content) if o.isdigit() and int(o) < len(poll.options)]
    chosen = [int(o) for o in ids][: len(poll.options) if poll.allows_multiple_answers else 1]
    user_id = await bridge.user_of(str(event["sender"]))
    try:
        answer_poll(world, user_id, poll.id, chosen)
    except SandboxError as error:  # a closed poll, a vote retracted twice
        log.info("poll response not passed on: %s", error)
    return True
