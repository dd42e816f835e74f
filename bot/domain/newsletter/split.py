"""Telegram's HTML subset: check a rendered message and split it into parts that each fit.

A long message is cut at a paragraph boundary (a blank line) if the part before it has one,
else at a line break, else between words, else between characters; never inside a tag or a
character reference. Elements open at a cut are closed at the end of the part and opened
again at the start of the next one, so every part is valid HTML on its own.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from itertools import accumulate
from typing import NamedTuple

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
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
"""The character references Telegram decodes (other names stay as typed)."""
_SEPARATORS = ("\n\n", "\n", " ")


class HtmlError(ValueError):
    """The text is not in Telegram's HTML subset; the message says where."""


class _Tag(NamedTuple):
    raw: str
    name: str
    closing: bool


class _Document:
    """The source as units: each visible character (a reference counts as one) or tag.

    Parallel lists keep long letters fast: ``raw`` (the source of each unit), ``text``
    (what it shows; NUL for a tag) and ``ends`` (visible UTF-16 width up to and including
    the unit); tags are listed with their unit index.
    """

    def __init__(self, source: str) -> None:
        self.raw: list[str] = []
        self.text: list[str] = []
        self.tags: dict[int, _Tag] = {}
        widths: list[int] = []
        stack: list[str] = []
        position = 0
        for match in _TAG.finditer(source):
            self._add_text(source[position : match.start()], position, widths)
            closing, name = match[1] == "/", match[2].lower()
            if name not in ALLOWED_TAGS:
                raise HtmlError(f"the tag <{name}> is not allowed by Telegram")
            if closing:
                if not stack or stack[-1] != name:
                    raise HtmlError(f"</{name}> closes no open <{name}>")
                stack.pop()
            else:
                stack.append(name)
            self.tags[len(self.raw)] = _Tag(match[0], name, closing)
            self.raw.append(match[0])
            self.text.append("\0")
            widths.append(0)
            position = match.end()
        self._add_text(source[position:], position, widths)
        if stack:
            raise HtmlError(f"<{stack[-1]}> is never closed")
        self.ends = list(accumulate(widths))

    def _add_text(self, chunk: str, offset: int, widths: list[int]) -> None:
        """Append the visible characters of ``chunk`` (text between two tags)."""
        if "<" in chunk:
            raise HtmlError(
                f"a “<” that opens no tag, at character {offset + chunk.index('<') + 1}"
            )
        if "&" not in chunk:
            self.raw.extend(chunk)
            self.text.extend(chunk)
            widths.extend(2 if c > "\uffff" else 1 for c in chunk)
            return
        position = 0
        for match in _REFERENCE.finditer(chunk):
            self._add_text(chunk[position : match.start()], offset + position, widths)
            shown = html.unescape(match[0])
            self.raw.append(match[0])
            self.text.append(shown)
            widths.append(2 if shown > "\uffff" else 1)
            position = match.end()
        rest = chunk[position:]
        self.raw.extend(rest)
        self.text.extend(rest)
        widths.extend(2 if c > "\uffff" else 1 for c in rest)

    @property
    def width(self) -> int:
        """The visible length of the whole source."""
        return self.ends[-1] if self.ends else 0

    def open_before(self, index: int) -> list[_Tag]:
        """The tags open just before unit ``index``."""
        stack: list[_Tag] = []
        for position, tag in self.tags.items():
            if position >= index:
                break
            if tag.closing:
                stack.pop()
            else:
                stack.append(tag)
        return stack

    def skip_space(self, index: int) -> int:
        """The first visible character from ``index`` (tags skipped are reopened or closed)."""
        while index < len(self.text):
            shown = self.text[index]
            if shown != "\0" and shown.strip():
                break
            index += 1
        return index

    def cut(self, start: int, limit: int) -> int:
        """Where the part starting at ``start`` ends: everything fits, or the best boundary."""
        before = self.ends[start - 1] if start else 0
        index = bisect_right(self.ends, before + limit, lo=start)
        if index >= len(self.text):
            return len(self.text)
        text = "".join(self.text[start:index])
        for separator in _SEPARATORS:
            found = text.rfind(separator)
            if found > 0 and text[:found].strip("\0 \n"):
                return start + found
        return max(index, start + 1)


def check_html(source: str) -> None:
    """Raise HtmlError unless ``source`` uses only Telegram's tags, properly nested."""
    _Document(source)


def split_html(source: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """``source`` as one or more parts of at most ``limit`` visible characters each."""
    document = _Document(source)
    start = document.skip_space(0)
    if start == len(document.text):
        return []
    if document.width <= limit:
        return [source]
    parts: list[str] = []
    while start < len(document.text):
        end = document.cut(start, limit)
        reopen = "".join(tag.raw for tag in document.open_before(start))
        body = "".join(document.raw[start:end])
        close = "".join(f"</{tag.name}>" for tag in reversed(document.open_before(end)))
        parts.append(reopen + body + close)
        start = document.skip_space(end)
    return parts
