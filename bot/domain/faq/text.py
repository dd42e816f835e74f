"""What animators and members type into the FAQ, checked: entries, themes, questions, searches.

An entry is typed as one message: its question on the first line, its answer below. The
answer is Telegram HTML checked with the newsletter's checker of the allowed subset
(``bot/domain/newsletter/split.py``), and must fit in one message.
"""

from __future__ import annotations

import html
import re

from bot.domain.faq.model import (
    MAX_ANSWER,
    MAX_ASKED,
    MAX_QUESTION,
    MAX_SEARCH,
    MAX_THEME,
    FaqError,
    Version,
)
from bot.domain.newsletter.split import HtmlError, check_html, split_html

_TAG = re.compile(r"<[^<>]*>")
_WORD = re.compile(r"\w+")
MAX_TERMS = 8


def plain(source: str) -> str:
    """The visible text of checked Telegram HTML (tags dropped, references decoded)."""
    return html.unescape(_TAG.sub("", source))


def clean_line(text: str | None, limit: int) -> str:
    """One line of plain text: whitespace collapsed, 1 to ``limit`` characters."""
    value = " ".join((text or "").split())
    if not value:
        raise FaqError("empty")
    if len(value) > limit:
        raise FaqError("too_long", limit=limit)
    return value


def clean_answer(source: str) -> str:
    """An answer: valid Telegram HTML of 1 to ``MAX_ANSWER`` visible characters."""
    value = source.strip()
    try:
        parts = split_html(value, MAX_ANSWER)
    except HtmlError as error:
        raise FaqError("bad_html", reason=str(error)) from None
    if not parts:
        raise FaqError("no_answer")
    if len(parts) > 1:
        raise FaqError("too_long", limit=MAX_ANSWER)
    return value


def parse_entry(source: str | None) -> Version:
    """A typed entry (Telegram HTML): the question's line, then the answer below it."""
    first, _, rest = (source or "").strip().partition("\n")
    try:
        check_html(first)
    except HtmlError as error:
        raise FaqError("bad_html", reason=str(error)) from None
    question = clean_line(plain(first), MAX_QUESTION)
    if not rest.strip():
        raise FaqError("no_answer")
    return Version(question, clean_answer(rest))


def parse_theme(text: str | None) -> tuple[str, str]:
    """A theme typed ``Nom français | English name`` (one name serves both languages)."""
    french, _, english = (text or "").partition("|")
    name_fr = clean_line(french, MAX_THEME)
    name_en = clean_line(english, MAX_THEME) if english.strip() else name_fr
    return name_fr, name_en


def clean_asked(text: str | None) -> str:
    """A question a member asks: 1 to ``MAX_ASKED`` characters, line breaks kept."""
    lines = [" ".join(line.split()) for line in (text or "").strip().splitlines()]
    value = "\n".join(line for line in lines if line)
    if not value:
        raise FaqError("empty")
    if len(value) > MAX_ASKED:
        raise FaqError("too_long", limit=MAX_ASKED)
    return value


def match_expression(query: str | None) -> str:
    """An FTS5 query from what a member typed: its words only, each quoted, as prefixes.

    Quotes, operators (AND, OR, NOT, NEAR), parentheses, stars, colons and column filters
    are never passed through: only runs of letters and digits, each inside double quotes,
    so nothing a member types can raise an FTS syntax error or change the query.
    """
    value = (query or "").strip()
    if len(value) > MAX_SEARCH:
        raise FaqError("too_long", limit=MAX_SEARCH)
    words = _WORD.findall(value.replace("_", " "))[:MAX_TERMS]
    if not words:
        raise FaqError("no_words")
    return " ".join(f'"{word}"*' for word in words)
