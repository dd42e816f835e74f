"""Reading a chat's event log: current messages, buttons, event texts, a readable transcript.

Pure functions over the JSON events of :class:`bot.sandbox.model.ChatLog`, so in-process and
remote members read chats with exactly the same rules.
"""

from __future__ import annotations

from typing import Any

Event = dict[str, Any]
_SHOWN_KINDS = ("message", "edit", "markup", "toast")


def current_messages(events: list[Event]) -> dict[int, dict[str, Any]]:
    """Each live message's latest state, by message id, in order of creation."""
    messages: dict[int, dict[str, Any]] = {}
    for event in events:
        snapshot = event.get("message")
        if snapshot is None:
            continue
        if event["kind"] == "delete":
            messages.pop(snapshot["message_id"], None)
        else:
            messages[snapshot["message_id"]] = snapshot
    return messages


def snapshots(events: list[Event], message_id: int) -> list[dict[str, Any]]:
    """Every state a message has had, newest first."""
    return [
        event["message"]
        for event in reversed(events)
        if event.get("message") and event["message"]["message_id"] == message_id
    ]


def is_bot_event(event: Event) -> bool:
    """True for what the bot did in the chat (message, edit, markup, deletion, toast)."""
    return event["side"] == "bot"


def event_text(event: Event) -> str | None:
    """The plain text a bot event shows (message/edit/markup/toast), None for others."""
    if event["kind"] not in _SHOWN_KINDS:
        return None
    if event["kind"] == "toast":
        return event["text"]
    return event["message"]["text"]


def latest_with_buttons(messages: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
    """The most recent bot message that still has inline buttons."""
    for message in reversed(list(messages.values())):
        if message["from"] == "bot" and message["buttons"]:
            return message
    return None


def labels(message: dict[str, Any]) -> list[list[str]]:
    """Button labels, row by row."""
    return [[button["text"] for button in row] for row in message.get("buttons", [])]


def find_button(message: dict[str, Any], label: str) -> dict[str, Any]:
    """The button labelled ``label``, else the unique one containing it (AssertionError)."""
    buttons = [button for row in message["buttons"] for button in row]
    exact = [button for button in buttons if button["text"] == label]
    candidates = exact or [button for button in buttons if label in button["text"]]
    if len(candidates) != 1:
        problem = "no button" if not candidates else "several buttons"
        raise AssertionError(
            f"{problem} matching {label!r} on message {message['message_id']}; "
            f"buttons: {labels(message)}"
        )
    if "callback_data" not in candidates[0]:
        raise AssertionError(f"button {candidates[0]['text']!r} is not a callback button")
    return candidates[0]


def describe(event: Event) -> str:
    """One transcript line for an event."""
    kind = event["kind"]
    who = "bot" if event["side"] == "bot" else event.get("name", "?")
    message = event.get("message") or {}
    ref = f"#{message.get('message_id', event.get('message_id', '?'))}"
    body = _content(message)
    lines = {
        "message": f"{who} {ref}: {body}",
        "edit": f"{who} edits {ref}: {body}",
        "markup": f"{who} changes buttons of {ref}: {_buttons(message) or '(none)'}",
        "delete": f"{who} deletes {ref}",
        "toast": f"{who} toast: {event.get('text', '')}",
        "answer": "bot answers the button press silently",
        "tap": f"{who} taps [{event.get('label') or event.get('data')}] on "
        f"#{event.get('message_id')}",
        "poll_answer": f"{who} votes {event.get('option_ids')} in poll {event.get('poll_id')}",
        "block": f"{who} blocks the bot",
        "unblock": f"{who} unblocks the bot",
    }
    return f"[{event['seq']}] " + lines.get(kind, f"{who} {kind}")


def _content(message: dict[str, Any]) -> str:
    parts = []
    if message.get("kind") not in (None, "text"):
        media = message.get(message["kind"]) or {}
        parts.append(
            f"<{message['kind']}{' ' + media['file_name'] if media.get('file_name') else ''}>"
        )
    if message.get("text"):
        parts.append(message["text"])
    if message.get("poll"):
        parts.append(" / ".join(option["text"] for option in message["poll"]["options"]))
    buttons = _buttons(message)
    if buttons:
        parts.append(buttons)
    return " ".join(parts)


def _buttons(message: dict[str, Any]) -> str:
    return " | ".join(" ".join(f"[{label}]" for label in row) for row in labels(message))
