"""Checks on message content before it is stored: Telegram's length and keyboard shape."""

from __future__ import annotations

from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any

MAX_MESSAGE_LENGTH = 4096
"""Telegram's limit on a text message, in UTF-16 code units after entity parsing."""
MAX_CAPTION_LENGTH = 1024
"""Telegram's limit on a document's caption, counted like a message."""
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
"""Telegram's limit on a document a bot uploads."""


class _TextCollector(HTMLParser):
    """Collects the text an HTML message shows, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def visible_text(html: str) -> str:
    """The text ``html`` shows once Telegram has parsed it (tags removed, entities decoded)."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.chunks)


def visible_length(html: str) -> int:
    """Length of ``html`` as Telegram counts it: visible text in UTF-16 code units."""
    return len(visible_text(html).encode("utf-16-le")) // 2


def check_message(parts: Sequence[str], keyboard: dict[str, Any] | None) -> None:
    """Raise ValueError unless every part fits one Telegram message and the keyboard is inline."""
    if not parts:
        raise ValueError("a message needs at least one part")
    for number, part in enumerate(parts, start=1):
        if not visible_text(part).strip():
            raise ValueError(f"part {number} is empty")
        length = visible_length(part)
        if length > MAX_MESSAGE_LENGTH:
            raise ValueError(
                f"part {number} is {length} characters long (max {MAX_MESSAGE_LENGTH})"
            )
    if keyboard is not None:
        rows = keyboard.get("inline_keyboard")
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ValueError('a keyboard must be {"inline_keyboard": [[button, ...], ...]}')


def check_attachment(filename: str, data: bytes, caption: str | None) -> None:
    """Raise ValueError unless the document has a name, fits Telegram's limits, and its caption."""
    if not filename.strip():
        raise ValueError("an attachment needs a file name")
    if not data or len(data) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"an attachment must hold 1 to {MAX_DOCUMENT_BYTES} bytes")
    if caption is not None and visible_length(caption) > MAX_CAPTION_LENGTH:
        raise ValueError(f"the caption is longer than {MAX_CAPTION_LENGTH} characters")
