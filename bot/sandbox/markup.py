"""Reply markup: validation with Telegram's errors, and the button view members see."""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox import errors
from bot.sandbox.html import normalize_url

BUTTONS_PER_ROW = 8
TOTAL_BUTTONS = 100
CALLBACK_DATA_BYTES = 64
_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_INLINE_FIELDS = ("text", "icon_custom_emoji_id", "style", *_ACTIONS)


def parse_reply_markup(param: Any) -> dict[str, Any] | None:
    """Validate a ``reply_markup`` parameter and return it normalised, or raise ApiError."""
    if param in (None, ""):
        return None
    try:
        markup = json.loads(param) if isinstance(param, str) else param
    except ValueError:
        raise errors.bad_request(errors.REPLY_MARKUP_UNPARSABLE) from None
    if not isinstance(markup, dict):
        raise errors.bad_request(errors.REPLY_MARKUP_UNPARSABLE)
    if "inline_keyboard" in markup:
        return {"inline_keyboard": _inline_keyboard(markup["inline_keyboard"])}
    if "keyboard" in markup or "remove_keyboard" in markup or "force_reply" in markup:
        return markup
    raise errors.bad_request(errors.REPLY_MARKUP_UNPARSABLE)


def _inline_keyboard(rows: Any) -> list[list[dict[str, Any]]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise errors.bad_request(errors.REPLY_MARKUP_UNPARSABLE)
    if sum(len(row) for row in rows) > TOTAL_BUTTONS:
        raise errors.bad_request(errors.REPLY_MARKUP_TOO_LONG)
    if any(len(row) > BUTTONS_PER_ROW for row in rows):
        raise errors.bad_request(errors.REPLY_MARKUP_TOO_LONG)
    return [[_button(button) for button in row] for row in rows if row]


def _button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise errors.bad_request(errors.REPLY_MARKUP_UNPARSABLE)
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise errors.bad_request(errors.BUTTON_TEXT_EMPTY)
    actions = [name for name in _ACTIONS if name in button]
    if not actions:
        raise errors.bad_request(errors.BUTTON_WITHOUT_ACTION)
    if len(actions) > 1:
        raise errors.bad_request(errors.BUTTON_SEVERAL_ACTIONS)
    data = button.get("callback_data")
    if "callback_data" in button and (
        not isinstance(data, str) or not 1 <= len(data.encode()) <= CALLBACK_DATA_BYTES
    ):
        raise errors.bad_request(errors.BUTTON_DATA_INVALID)
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or normalize_url(url) is None:
            raise errors.bad_request(errors.BUTTON_URL_INVALID)
    return {name: button[name] for name in _INLINE_FIELDS if name in button}


def button_rows(markup: dict[str, Any] | None) -> list[list[dict[str, Any]]]:
    """Inline buttons as members see them: ``{"text", "callback_data"}`` or ``{"text", "url"}``."""
    if not markup or "inline_keyboard" not in markup:
        return []
    rows = []
    for row in markup["inline_keyboard"]:
        view = []
        for button in row:
            shown = {"text": button["text"]}
            for key in ("callback_data", "url"):
                if key in button:
                    shown[key] = button[key]
            view.append(shown)
        rows.append(view)
    return rows
