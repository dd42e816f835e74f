"""Message text as Telegram stores it: parse mode, trimming, length limits, automatic entities."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.sandbox import errors
from bot.sandbox.html import HtmlParseError, parse_html, sort_entities, utf16_length

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_BOT_COMMAND = re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?(?![\w/<>])")
_ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
        "date_time",
    }
)
_TRIMMED = " \t\n\r\v\f\u200b"


def format_caption(
    raw: str | None, parse_mode: str | None, entities_param: Any = None
) -> tuple[str, list[dict[str, Any]]]:
    """(caption, entities) of a media message; empty when no caption was given."""
    if not raw:
        return "", []
    return format_text(
        raw,
        parse_mode,
        entities_param,
        limit=CAPTION_LIMIT,
        too_long=errors.CAPTION_TOO_LONG,
        allow_empty=True,
    )


def format_text(
    raw: str,
    parse_mode: str | None,
    entities_param: Any = None,
    *,
    limit: int = TEXT_LIMIT,
    too_long: str = errors.MESSAGE_TOO_LONG,
    allow_empty: bool = False,
) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) as Telegram would store ``raw``, or raise ApiError.

    ``limit`` counts code points after parsing and trimming.  Only ``HTML`` and plain text
    are implemented; ``Markdown``/``MarkdownV2`` answer ``Bad Request: unsupported
    parse_mode`` (documented deviation).
    """
    if parse_mode:
        if parse_mode.lower() != "html":
            raise errors.bad_request(errors.UNSUPPORTED_PARSE_MODE)
        try:
            parsed = parse_html(raw)
        except HtmlParseError as exc:
            raise errors.bad_request(errors.CANT_PARSE_ENTITIES.format(reason=exc)) from None
        text, entities = parsed.text, parsed.entities
    else:
        text, entities = raw, _explicit_entities(entities_param)
    text, entities = _trim(text, entities)
    if len(text) > limit:
        raise errors.bad_request(too_long)
    if not text and not allow_empty:
        raise errors.bad_request(errors.TEXT_EMPTY_AFTER_PARSE)
    return text, entities


def _explicit_entities(param: Any) -> list[dict[str, Any]]:
    """Entities given with ``entities``/``caption_entities`` (JSON text or already decoded)."""
    if param in (None, ""):
        return []
    try:
        value = json.loads(param) if isinstance(param, str) else param
    except ValueError:
        raise errors.bad_request("Bad Request: can't parse entities JSON object") from None
    if not isinstance(value, list):
        raise errors.bad_request("Bad Request: can't parse entities JSON object")
    entities = []
    for item in value:
        if not isinstance(item, dict) or item.get("type") not in _ENTITY_TYPES:
            continue
        offset, length = item.get("offset"), item.get("length")
        if isinstance(offset, int) and isinstance(length, int) and length > 0 and offset >= 0:
            entities.append(dict(item))
    sort_entities(entities)
    return entities


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip leading/trailing whitespace, clipping entities to what remains."""
    stripped = text.strip(_TRIMMED)
    if stripped == text:
        return text, entities
    if not entities:
        return stripped, entities
    left = utf16_length(text[: len(text) - len(text.lstrip(_TRIMMED))])
    end = left + utf16_length(stripped)
    kept = []
    for entity in entities:
        start, stop = max(entity["offset"], left), min(entity["offset"] + entity["length"], end)
        if stop > start:
            kept.append({**entity, "offset": start - left, "length": stop - start})
    return stripped, kept


def command_entities(text: str) -> list[dict[str, Any]]:
    """The ``bot_command`` entities Telegram adds to an incoming text message."""
    entities = []
    for match in _BOT_COMMAND.finditer(text):
        offset = utf16_length(text[: match.start()])
        entities.append(
            {"type": "bot_command", "offset": offset, "length": utf16_length(match.group())}
        )
    return entities
