"""Delivery-engine content in every supported language, rendered from one function per send.

Shared by features that hand messages to the engine: the network's language comes first
(it serves members whose language has no version), and button rows of (label, payload)
become the Bot API's inline keyboard.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from bot.config import SUPPORTED_LANGUAGES
from bot.delivery import Attachment, Content, Keyboard, Message
from bot.i18n import Translator

Rows = Sequence[Sequence[tuple[str, str]]]
Renderer = Callable[[Translator], tuple[Sequence[str], Rows]]


def keyboard_data(rows: Rows) -> Keyboard | None:
    """Button rows as the Bot API's inline keyboard (None without buttons).

    Labels are plain text for Telegram: a label made with the catalogs (whose parameters
    are HTML-escaped) is unescaped here, so ``R&D <Sud>`` shows as typed.
    """
    if not rows:
        return None
    return {
        "inline_keyboard": [
            [{"text": html.unescape(str(label)), "callback_data": data} for label, data in row]
            for row in rows
        ]
    }


def localized_content(
    render: Renderer,
    translator: Callable[[str], Translator],
    first: str,
    attach: Callable[[Translator], Attachment] | None = None,
) -> Content:
    """``render`` (parts, buttons, ``attach``'s document) in every language, ``first`` first."""
    languages = [first, *(lang for lang in SUPPORTED_LANGUAGES if lang != first)]
    messages = {}
    for language in languages:
        t = translator(language)
        parts, rows = render(t)
        attachment = attach(t) if attach is not None else None
        messages[language] = Message(tuple(str(p) for p in parts), keyboard_data(rows), attachment)
    return Content(messages)
