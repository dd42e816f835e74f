"""A bot message as Matrix shows it: ``body`` + ``formatted_body`` and numbered choices.

Matrix has no inline keyboard. Each callback button becomes a numbered choice appended to
the message (an ordered list in ``formatted_body``, ``1. label`` lines in ``body``); the
member answers with the number (see :mod:`bot.matrix.replies`). URL buttons become links.
Telegram's HTML subset is almost a subset of Matrix's ``formatted_body`` one: newlines
become ``<br>``, ``tg-spoiler`` becomes ``data-mx-spoiler``, custom emoji keep their text.
Commands the bot names (``/menu``) read ``!menu``, as members type them on Matrix.
"""

from __future__ import annotations

import html
import re
from typing import Any

FORMAT = "org.matrix.custom.html"
CHOICES_KEY = "fr.maillage.choices"
"""Where the content also lists the choices' callback data (hidden from clients)."""

_SPOILER = re.compile(r"<tg-spoiler>|<span class=\"tg-spoiler\">")
_SPOILER_END = re.compile(r"</tg-spoiler>")
_EMOJI = re.compile(r"<tg-emoji[^>]*>(.*?)</tg-emoji>", re.DOTALL)
_COMMAND = re.compile(r"(?:^|(?<=[\s(«>\"'“]))/([A-Za-z_]\w{0,31})\b", re.MULTILINE)


def bang_commands(text: str) -> str:
    """``/menu`` in the bot's words becomes ``!menu``, what Matrix members type.

    Element and Tchap take a leading ``/`` for their own commands ("unknown command");
    the gateway reads ``!menu`` as ``/menu``, so the bot's advice must say ``!menu``.
    """
    return _COMMAND.sub(r"!\1", text)


def matrix_html(telegram_html: str) -> str:
    """Telegram parse-mode HTML rewritten for Matrix's ``formatted_body``."""
    text = _EMOJI.sub(r"\1", telegram_html)
    text = _SPOILER.sub("<span data-mx-spoiler>", text)
    text = _SPOILER_END.sub("</span>", text)
    return text.replace("\n", "<br>")


def choices(buttons: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The callback buttons in reading order (row by row), the ones a number answers."""
    return [button for row in buttons for button in row if "callback_data" in button]


def links(buttons: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The URL buttons, shown as links under the choices."""
    return [button for row in buttons for button in row if "url" in button]


def content(view: dict[str, Any]) -> dict[str, Any]:
    """The ``m.room.message`` content for a sandbox message view (text and buttons)."""
    plain = bang_commands(view.get("text") or "")
    rich = bang_commands(matrix_html(view.get("html") or html.escape(view.get("text") or "")))
    numbered = choices(view.get("buttons") or [])
    urls = links(view.get("buttons") or [])
    if numbered:
        plain += "\n\n" + "\n".join(f"{i}. {b['text']}" for i, b in enumerate(numbered, 1))
        items = "".join(f"<li>{html.escape(b['text'])}</li>" for b in numbered)
        rich += f"<br><ol>{items}</ol>"
    if urls:
        plain += "\n" + "\n".join(f"{b['text']}: {b['url']}" for b in urls)
        rich += "<br>" + "<br>".join(
            f'<a href="{html.escape(b["url"])}">{html.escape(b["text"])}</a>' for b in urls
        )
    body: dict[str, Any] = {"msgtype": "m.text", "body": plain, "format": FORMAT}
    body["formatted_body"] = rich
    body[CHOICES_KEY] = [b["callback_data"] for b in numbered]
    return body


def replacement(view: dict[str, Any], original_event_id: str) -> dict[str, Any]:
    """An ``m.replace`` edit of ``original_event_id`` showing ``view`` (Element: "(edited)")."""
    new = content(view)
    return {
        **{key: value for key, value in new.items() if key != CHOICES_KEY},
        "body": "* " + new["body"],
        "m.new_content": new,
        "m.relates_to": {"rel_type": "m.replace", "event_id": original_event_id},
    }
