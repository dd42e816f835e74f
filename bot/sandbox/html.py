"""Telegram's HTML parse mode: raw HTML to plain text plus entities, or Telegram's exact error.

Mirrors the behaviour of TDLib's ``parse_html`` (the code behind the Bot API's
``parse_mode=HTML``): the same tag whitelist, the four named character references plus all
numeric ones (with or without ``;``), the same error texts with UTF-8 *byte* offsets into the
raw text, and entity offsets/lengths in UTF-16 code units.  Whitespace trimming and length
limits are applied later, by :mod:`bot.sandbox.formatting`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_SPACE = frozenset(b" \t\r\n\0\v")  # TDLib's is_space; NUL marks the end of the text
_SPECIAL = re.compile(rb"[<&]")
_NAME_TOKEN = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_ATTRIBUTE_END = _SPACE | frozenset(b"=>/\"'")
_NAMED_REFERENCES = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}
_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_TYPES = {
    "i": "italic",
    "em": "italic",
    "b": "bold",
    "strong": "bold",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
# Order of entities sharing offset and length, as TDLib sorts them.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "date_time": 95,
    "custom_emoji": 99,
}
_DATE_FORMAT = re.compile(r"(r|w?[dD]?[tT]?)\Z")
_INVALID_UNICODE = (
    "Text contains invalid Unicode characters after decoding HTML entities, "
    "check for unmatched surrogate code units"
)
_USER_LINK = re.compile(r"tg://user\?id=(\d{1,18})\Z", re.IGNORECASE)
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*(?::\d{1,5})?\Z")


class HtmlParseError(ValueError):
    """Telegram's reason, e.g. ``Unclosed start tag at byte offset 13`` (no prefix)."""


@dataclass(frozen=True, slots=True)
class ParsedText:
    """Plain text and its entities (Bot API ``MessageEntity`` dicts, UTF-16 offsets)."""

    text: str
    entities: list[dict[str, Any]]


@dataclass(slots=True)
class _OpenTag:
    name: str
    argument: str
    unix_time: int
    offset: int  # UTF-16 units of output
    begin: int  # bytes of output


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def parse_html(source: str) -> ParsedText:
    """Parse ``source`` as Telegram HTML; raise :class:`HtmlParseError` like Telegram would."""
    if "<" not in source and "&" not in source:
        return ParsedText(source, [])
    return _Parser(source.encode("utf-8", "surrogatepass")).run()


def sort_entities(entities: list[dict[str, Any]]) -> None:
    """Sort entities in place the way Telegram returns them."""
    entities.sort(key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))


class _Parser:
    """One pass over the UTF-8 bytes of the raw text."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.data = raw + b"\0"
        self.out = bytearray()
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []
        self.code_languages: dict[int, str] = {}  # id(code entity) -> language

    def at(self, i: int) -> int:
        return self.data[i] if i < len(self.data) else 0

    def run(self) -> ParsedText:
        raw, n, i = self.raw, len(self.raw), 0
        while i < n:
            match = _SPECIAL.search(raw, i)
            j = match.start() if match else n
            if j > i:
                chunk = raw[i:j]
                self.out += chunk
                self.utf16 += utf16_length(chunk.decode("utf-8", "surrogatepass"))
                i = j
                continue
            if raw[i] == ord("&"):
                decoded = self.reference(i)
                if decoded is None:
                    self.out.append(raw[i])
                    self.utf16 += 1
                    i += 1
                else:
                    code_point, i = decoded
                    self.out += chr(code_point).encode("utf-8", "surrogatepass")
                    self.utf16 += 2 if code_point > 0xFFFF else 1
                continue
            i = self.end_tag(i) if self.at(i + 1) == ord("/") else self.start_tag(i)
        if self.stack:
            raise HtmlParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        try:
            text = self.out.decode("utf-8")
        except UnicodeDecodeError:
            raise HtmlParseError(_INVALID_UNICODE) from None
        sort_entities(self.entities)
        return ParsedText(text, self.entities)

    def reference(self, pos: int) -> tuple[int, int] | None:
        """Decode a character reference at ``pos``: (code point, next position) or None."""
        end = pos + 1
        value = 0
        if self.at(end) == ord("#"):
            end += 1
            if self.at(end) == ord("x"):
                end += 1
                while chr(self.at(end)) in "0123456789abcdefABCDEF" and self.at(end):
                    value = value * 16 + int(chr(self.at(end)), 16)
                    end += 1
            else:
                while ord("0") <= self.at(end) <= ord("9"):
                    value = value * 10 + self.at(end) - ord("0")
                    end += 1
            if value == 0 or value >= 0x10FFFF or end - pos >= 10:
                return None
        else:
            while chr(self.at(end)).isascii() and chr(self.at(end)).isalpha():
                end += 1
            named = _NAMED_REFERENCES.get(self.data[pos + 1 : end])
            if named is None:
                return None
            value = named
        return value, end + 1 if self.at(end) == ord(";") else end

    def start_tag(self, begin: int) -> int:
        """Read a start tag at ``begin`` and push it; return the position after ``>``."""
        i = begin + 1
        while self.at(i) not in _SPACE and self.at(i) != ord(">"):
            i += 1
        if self.at(i) == 0:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        name = self.data[begin + 1 : i].decode("utf-8", "replace").lower()
        if name not in _TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {begin}')
        argument, unix_time = "", 0
        while self.at(i) != ord(">"):
            while self.at(i) != 0 and self.at(i) in _SPACE:
                i += 1
            if self.at(i) == ord(">"):
                break
            attribute_begin = i
            while self.at(i) not in _ATTRIBUTE_END:
                i += 1
            attribute = self.data[attribute_begin:i].decode("utf-8", "replace")
            if not attribute:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{name}" at byte offset {begin}'
                )
            while self.at(i) != 0 and self.at(i) in _SPACE:
                i += 1
            if self.at(i) != ord("="):
                if self.at(i) == 0:
                    raise HtmlParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
                if name == "blockquote" and attribute == "expandable":
                    argument = "1"
                continue
            i += 1
            while self.at(i) != 0 and self.at(i) in _SPACE:
                i += 1
            if self.at(i) == 0:
                raise HtmlParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
            value, i = self.attribute_value(i)
            if self.at(i) == 0:
                raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
            if name == "tg-time" and attribute == "unix":
                found = re.match(r"-?\d+", value)
                unix_time = int(found.group()) if found else 0
            argument = _tag_argument(name, attribute, value, argument)
        if name == "span" and argument != "spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        self.stack.append(_OpenTag(name, argument, unix_time, self.utf16, len(self.out)))
        return i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        """Read a name token or a quoted string at ``i``; return it and the next position."""
        quote = self.at(i)
        if quote not in (ord("'"), ord('"')):
            token_begin = i
            while self.at(i) in _NAME_TOKEN and self.at(i):
                i += 1
            if self.at(i) not in _SPACE and self.at(i) != ord(">"):
                raise HtmlParseError(f"Unexpected end of name token at byte offset {token_begin}")
            return self.data[token_begin:i].decode("ascii").lower(), i
        value = bytearray()
        i += 1
        while self.at(i) != quote and self.at(i) != 0:
            if self.at(i) == ord("&"):
                decoded = self.reference(i)
                if decoded is not None:
                    value += chr(decoded[0]).encode("utf-8", "surrogatepass")
                    i = decoded[1]
                    continue
            value.append(self.at(i))
            i += 1
        if self.at(i) == quote:
            i += 1
        return value.decode("utf-8", "replace"), i

    def end_tag(self, begin: int) -> int:
        """Read an end tag at ``begin``, pop its start tag, add the entity."""
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
        i = begin + 2
        while self.at(i) not in _SPACE and self.at(i) != ord(">"):
            i += 1
        end_name = self.data[begin + 2 : i].decode("utf-8", "replace").lower()
        while self.at(i) in _SPACE and self.at(i) != 0:
            i += 1
        if self.at(i) != ord(">"):
            raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
        tag = self.stack[-1]
        if end_name and end_name != tag.name:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag.name}>", '
                f'found "</{end_name}>"'
            )
        if self.utf16 > tag.offset:
            self.close(tag, self.utf16 - tag.offset)
        self.stack.pop()
        return i + 1

    def close(self, tag: _OpenTag, length: int) -> None:
        """Append the entity a closed, non-empty tag produces."""
        entity: dict[str, Any] = {"type": "", "offset": tag.offset, "length": length}
        previous = self.entities[-1] if self.entities else None
        same_span = (
            previous is not None
            and previous["offset"] == tag.offset
            and previous["length"] == length
        )
        if tag.name in _SIMPLE_TYPES:
            entity["type"] = _SIMPLE_TYPES[tag.name]
        elif tag.name == "tg-emoji":
            if not re.fullmatch(r"\d{1,19}", tag.argument) or not 0 < int(tag.argument) < 2**63:
                raise HtmlParseError("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=tag.argument)
        elif tag.name == "tg-time":
            if not _DATE_FORMAT.match(tag.argument):
                raise HtmlParseError("Invalid date format used")
            if tag.unix_time <= 0:
                return
            entity.update(type="date_time", unix_time=tag.unix_time)
            if tag.argument:
                entity["date_time_format"] = tag.argument
        elif tag.name == "a":
            url = tag.argument or self.out[tag.begin :].decode("utf-8", "replace")
            link = _link_entity(url)
            if link is None:
                return
            entity.update(link)
        elif tag.name == "pre":
            if same_span and previous["type"] == "code" and id(previous) in self.code_languages:
                previous.update(type="pre", language=self.code_languages.pop(id(previous)))
                return
            entity["type"] = "pre"
        elif tag.name == "code":
            if (
                same_span
                and previous["type"] == "pre"
                and "language" not in previous
                and tag.argument
            ):
                previous["language"] = tag.argument
                return
            entity["type"] = "code"
            if tag.argument:
                self.code_languages[id(entity)] = tag.argument
        else:  # blockquote
            entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
        self.entities.append(entity)


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    """The argument an attribute gives its tag (href, language, spoiler, emoji id...)."""
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if (tag, attribute) in (("tg-emoji", "emoji-id"), ("tg-time", "format")):
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "1"
    return current


def _link_entity(url: str) -> dict[str, Any] | None:
    """A ``text_mention``/``text_link`` entity for ``url``, or None if Telegram drops it."""
    url = url.strip()
    user = _USER_LINK.match(url)
    if user:
        return {"type": "text_mention", "user": {"id": int(user.group(1))}}
    normalized = normalize_url(url)
    return None if normalized is None else {"type": "text_link", "url": normalized}


def normalize_url(url: str) -> str | None:
    """Telegram-style normalisation of a link (``telegram.org`` -> ``http://telegram.org/``)."""
    if not url or any(c.isspace() for c in url):
        return None
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "http", url
    scheme = scheme.lower()
    if scheme in ("tg", "ton"):
        return f"{scheme}://{rest}" if rest else None
    if scheme not in ("http", "https"):
        return None
    cut = min((rest.find(c) for c in "/?#" if c in rest), default=len(rest))
    host, tail = rest[:cut], rest[cut:]
    if "@" in host:
        host = host.rsplit("@", 1)[1]
    if not _HOST.match(host):
        return None
    if not tail.startswith("/"):
        tail = "/" + tail
    return f"{scheme}://{host.lower()}{tail}"
