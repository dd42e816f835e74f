"""Telegram's HTML subset: checking and splitting long messages at paragraph boundaries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.delivery.content import visible_length, visible_text
from bot.domain.newsletter.split import HtmlError, check_html, split_html
from bot.sandbox.formatting import format_text


def telegram_accepts(part: str, limit: int = 4096) -> str:
    """The text Telegram would show for ``part`` (raises if the sandbox's parser refuses it)."""
    text, _ = format_text(part, "HTML", limit=limit)
    return text


def test_a_short_message_is_one_part_unchanged() -> None:
    assert split_html("<b>Bonjour</b>\n\nÀ bientôt &amp; merci") == [
        "<b>Bonjour</b>\n\nÀ bientôt &amp; merci"
    ]


def test_a_long_message_is_cut_at_the_last_paragraph_boundary_that_fits() -> None:
    paragraphs = [f"<b>Titre {i}</b>\n" + "mot " * 300 for i in range(8)]  # ~1210 chars each
    parts = split_html("\n\n".join(paragraphs))
    assert [len(parts), *[visible_length(p) <= 4096 for p in parts]] == [3, True, True, True]
    assert parts[0].startswith("<b>Titre 0</b>") and parts[1].startswith("<b>Titre 3</b>")
    assert all(p.count("<b>") == p.count("</b>") for p in parts)
    assert (
        "".join(visible_text(p) for p in parts).split()
        == "".join(visible_text(p) for p in paragraphs).split()
    )


def test_an_element_open_at_a_cut_is_closed_and_opened_again() -> None:
    quote = '<blockquote><a href="https://exemple.fr">' + "lien " * 20 + "</a></blockquote>"
    parts = split_html(quote, limit=40)
    assert len(parts) > 2
    for part in parts:
        assert part.startswith('<blockquote><a href="https://exemple.fr">')
        assert part.endswith("</a></blockquote>")
        telegram_accepts(part, limit=40)


def test_lines_then_words_then_characters_when_no_paragraph_fits() -> None:
    assert split_html("un deux\ntrois quatre", limit=12) == ["un deux", "trois quatre"]
    assert split_html("un deux trois", limit=8) == ["un deux", "trois"]
    assert split_html("abcdefghij", limit=4) == ["abcd", "efgh", "ij"]


def test_a_character_reference_or_an_emoji_is_never_cut() -> None:
    assert split_html("&amp;&lt;&gt;&quot;", limit=2) == ["&amp;&lt;", "&gt;&quot;"]
    assert split_html("😀😀😀", limit=4) == ["😀😀", "😀"]  # two UTF-16 units each


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("a<br>b", "<br> is not allowed"),
        ("<p>a</p>", "<p> is not allowed"),
        ("<b>a", "<b> is never closed"),
        ("<b><i>a</b></i>", "</b> closes no open <b>"),
        ("a < b", "opens no tag"),
    ],
)
def test_what_telegram_would_refuse_is_refused_first(source: str, reason: str) -> None:
    with pytest.raises(HtmlError, match=reason):
        check_html(source)


_WORDS = st.sampled_from(["réseau", "visio", "😀", "&amp;", "&lt;b&gt;", "a", "été", "x" * 30])
_SEPARATORS = st.sampled_from([" ", "\n", "\n\n"])
_TAGS = st.sampled_from(["b", "i", "u", "s", "code", "blockquote", "tg-spoiler"])


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """Random Telegram HTML: words, separators and properly nested tags."""
    out: list[str] = []
    stack: list[str] = []
    for _ in range(draw(st.integers(1, 80))):
        choice = draw(st.integers(0, 9))
        if choice == 0 and len(stack) < 3:
            tag = draw(_TAGS)
            stack.append(tag)
            out.append(f"<{tag}>")
        elif choice == 1 and stack:
            out.append(f"</{stack.pop()}>")
        else:
            out.append(draw(_WORDS) + draw(_SEPARATORS))
    out.extend(f"</{tag}>" for tag in reversed(stack))
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(_documents(), st.integers(8, 200))
def test_every_part_fits_parses_and_together_they_keep_the_text(source: str, limit: int) -> None:
    parts = split_html(source, limit)
    shown = [telegram_accepts(part, limit) for part in parts]
    assert all(visible_length(part) <= limit for part in parts)
    assert "".join("".join(shown).split()) == "".join(visible_text(source).split())
