"""How a send's content is stored: its parts, keyboards and attachments as JSON text."""

from __future__ import annotations

import base64
import json
from typing import Any

from bot.delivery.model import Attachment, Content, Message


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def encode_content(content: Content) -> tuple[str, str, str]:
    """The ``parts``, ``keyboards`` and ``attachments`` columns of a send."""
    messages = content.messages.items()
    parts = {lang: list(message.parts) for lang, message in messages}
    keyboards = {
        lang: message.keyboard for lang, message in messages if message.keyboard is not None
    }
    attachments = {
        lang: {
            "filename": message.attachment.filename,
            "data": base64.b64encode(message.attachment.data).decode("ascii"),
            "caption": message.attachment.caption,
        }
        for lang, message in messages
        if message.attachment is not None
    }
    return _json(parts), _json(keyboards), _json(attachments)


def _attachment(stored: dict[str, Any] | None) -> Attachment | None:
    if stored is None:
        return None
    return Attachment(stored["filename"], base64.b64decode(stored["data"]), stored["caption"])


def decode_content(parts: str, keyboards: str, attachments: str) -> Content:
    """The content read back from a send's columns."""
    boards, files = json.loads(keyboards), json.loads(attachments)
    return Content(
        {
            lang: Message(tuple(texts), boards.get(lang), _attachment(files.get(lang)))
            for lang, texts in json.loads(parts).items()
        }
    )
