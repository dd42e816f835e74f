"""Reduce Telegram-flavoured HTML to the plain text the server counts, flagging what it rejects."""

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

# An allowed_tags entry reads like `a href`, `span class="tg-spoiler"` or `code class="language-X"
# (inside pre)`: a tag name, then attribute names, some with a fixed value (`X` is a placeholder).
_ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
# Containers whose content is verbatim: only `<code>` directly inside `<pre>` is allowed.
_VERBATIM = ("pre", "code")


@dataclass(frozen=True)
class HtmlRules:
    """Tags the Bot API accepts (some with a required attribute value) and entities it decodes."""

    names: frozenset[str]
    required: Mapping[str, tuple[str, frozenset[str]]]
    unknown_ampersand: re.Pattern[str]

    @classmethod
    def from_limits(cls, section: Mapping[str, Any]) -> "HtmlRules":
        """Build the rules from the limits.json `html_parse_mode` section."""
        bare: set[str] = set()
        fixed: dict[str, tuple[str, set[str]]] = {}
        for entry in section["allowed_tags"]:
            name, *attributes = entry.split(" (")[0].split()
            name = name.lower()
            values = [_ATTRIBUTE.fullmatch(a) for a in attributes]
            pinned = [(m[1], m[2]) for m in values if m and m[2] is not None and "X" not in m[2]]
            if pinned:
                attribute, value = pinned[0]
                fixed.setdefault(name, (attribute, set()))[1].add(value)
            else:
                bare.add(name)
        required = {n: (a, frozenset(v)) for n, (a, v) in fixed.items() if n not in bare}
        # Only these entities are decoded; any other `&` is literal text, so escape it first.
        named = "|".join(re.escape(e.strip("&;")) for e in section["named_entities"])
        ampersand = re.compile(rf"&(?!(?:{named}|#[0-9]+|#[xX][0-9a-fA-F]+);)")
        return cls(frozenset(bare | set(fixed)), required, ampersand)


@dataclass(frozen=True)
class HtmlReduction:
    """The plain text of an HTML-formatted string and the reasons the server would reject it."""

    text: str
    errors: tuple[str, ...]


class _Reducer(HTMLParser):
    def __init__(self, rules: HtmlRules) -> None:
        super().__init__(convert_charrefs=False)
        self.rules = rules
        self.parts: list[str] = []
        self.errors: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.rules.names:
            self.errors.append(f"unsupported tag <{tag}>")
        elif tag in self.rules.required:
            attribute, allowed = self.rules.required[tag]
            if dict(attrs).get(attribute) not in allowed:
                wanted = " or ".join(f'{attribute}="{v}"' for v in sorted(allowed))
                self.errors.append(f"<{tag}> must have {wanted}")
        if any(t in _VERBATIM for t in self.open) and (tag, self.open[-1]) != ("code", "pre"):
            self.errors.append(f"<{tag}> inside <{self.open[-1]}>: pre/code cannot contain tags")
        if tag == "blockquote" and tag in self.open:
            self.errors.append("nested <blockquote>")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(f"unsupported self-closing tag <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.open:
            self.errors.append(f"unexpected end tag </{tag}>")
        elif self.open[-1] != tag:
            self.errors.append(f"end tag </{tag}> does not match the open <{self.open[-1]}>")
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self.errors.append("unescaped '<' (write &lt;)")
        self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        self.parts.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.parts.append(html.unescape(f"&#{name};"))

    def _unsupported(self, data: str) -> None:
        self.errors.append(f"unsupported markup {data[:20]!r} (comment, declaration or PI)")

    handle_comment = handle_decl = handle_pi = unknown_decl = _unsupported


def reduce_html(source: str, rules: HtmlRules) -> HtmlReduction:
    """Parse `source` as parse_mode=HTML: its visible text and every rule it breaks."""
    reducer = _Reducer(rules)
    reducer.feed(rules.unknown_ampersand.sub("&amp;", source))
    reducer.close()
    reducer.errors.extend(f"unclosed tag <{tag}>" for tag in reducer.open)
    return HtmlReduction("".join(reducer.parts), tuple(reducer.errors))
