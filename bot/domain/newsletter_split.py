"""Telegram's HTML subset: check a rendered message and split it into parts that each fit.

A long message is cut at a paragraph boundary (a blank line) if the part before it has one,
else at a line break, else between words, else between characters; never inside a tag or a
character reference. Elements open at a cut are closed at the end of the part and opened
again at the start of the next one, so every part is valid HTML on its own.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.delivery.content import MAX_MESSAGE_LENGTH

ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "code",
        "pre",
        "blockquote",
    }
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>")
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]+);")
_SEPARATORS = ("\n\n", "\n", " ")


class HtmlError(ValueError):
    """The text is not in Telegram's HTML subset; the message says where."""


@dataclass(frozen=True)
class _Tag:
    raw: str
    name: str
    closing: bool


@dataclass(frozen=True)
class _Char:
    raw: str
    text: str

    @property
    def width(self) -> int:
        """UTF-16 code units, as Telegram counts."""
        return sum(2 if ord(c) > 0xFFFF else 1 for c in self.text)


_Item = _Tag | _Char


def _items(source: str) -> list[_Item]:
    """Tags and visible characters in order; HtmlError on anything Telegram would refuse."""
    items: list[_Item] = []
    stack: list[str] = []
    position = 0
    while position < len(source):
        character = source[position]
        if character == "<":
            match = _TAG.match(source, position)
            if match is None:
                raise HtmlError(f"a “<” that opens no tag, at character {position + 1}")
            closing, name = match[1] == "/", match[2].lower()
            if name not in ALLOWED_TAGS:
                raise HtmlError(f"the tag <{name}> is not allowed by Telegram")
            if closing:
                if not stack or stack[-1] != name:
                    raise HtmlError(f"</{name}> closes no open <{name}>")
                stack.pop()
            else:
                stack.append(name)
            items.append(_Tag(match[0], name, closing))
            position = match.end()
        elif character == "&" and (match := _REFERENCE.match(source, position)):
            items.append(_Char(match[0], html.unescape(match[0])))
            position = match.end()
        else:
            items.append(_Char(character, character))
            position += 1
    if stack:
        raise HtmlError(f"<{stack[-1]}> is never closed")
    return items


def check_html(source: str) -> None:
    """Raise HtmlError unless ``source`` uses only Telegram's tags, properly nested."""
    _items(source)


def split_html(source: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """``source`` as one or more parts of at most ``limit`` visible characters each."""
    items = _items(source)
    open_at = _open_tags(items)
    parts: list[str] = []
    start = _skip_space(items, 0)
    while start < len(items):
        end = _cut(items, start, limit)
        reopen = "".join(tag.raw for tag in open_at[start])
        body = "".join(item.raw for item in items[start:end])
        close = "".join(f"</{tag.name}>" for tag in reversed(open_at[end]))
        parts.append(reopen + body + close)
        start = _skip_space(items, end)
    return parts


def _open_tags(items: list[_Item]) -> list[tuple[_Tag, ...]]:
    """The tags open before each item (and after the last)."""
    stack: list[_Tag] = []
    snapshots = []
    for item in items:
        snapshots.append(tuple(stack))
        if isinstance(item, _Tag):
            if item.closing:
                stack.pop()
            else:
                stack.append(item)
    snapshots.append(tuple(stack))
    return snapshots


def _skip_space(items: list[_Item], index: int) -> int:
    """The first visible character from ``index`` (tags skipped here are reopened or closed)."""
    while index < len(items):
        item = items[index]
        if isinstance(item, _Char) and item.text.strip():
            break
        index += 1
    return index


def _cut(items: list[_Item], start: int, limit: int) -> int:
    """Where the part starting at ``start`` ends: everything fits, or the best boundary."""
    width = 0
    index = start
    while index < len(items):
        item = items[index]
        if isinstance(item, _Char):
            if width + item.width > limit:
                break
            width += item.width
        index += 1
    else:
        return index
    text = "".join(item.text if isinstance(item, _Char) else "\0" for item in items[start:index])
    for separator in _SEPARATORS:
        found = text.rfind(separator)
        if found > 0 and text[:found].strip("\0 \n"):
            return start + found
    return max(index, start + 1)
