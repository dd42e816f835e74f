import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.sandbox.errors import ApiError
from bot.sandbox.formatting import command_entities, format_text
from bot.sandbox.html import HtmlParseError, parse_html, utf16_length

INVALID_UNICODE = (
    "Text contains invalid Unicode characters after decoding HTML entities, "
    "check for unmatched surrogate code units"
)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("&#57311;", INVALID_UNICODE),
        ("&#xDFDF", INVALID_UNICODE),
        ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
        ("🏟 🏟&lt;<abac>", 'Unsupported start tag "abac" at byte offset 13'),
        ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba>", 'Can\'t find end tag corresponding to start tag "i"'),
        ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
        ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;>", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
        ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
        ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
        (
            "🏟 🏟&lt;<i>a</em   >",
            'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"',
        ),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<a href", 'Unclosed start tag "a" at byte offset 0'),
        ('<a href="x/>y</a>', "Unclosed start tag at byte offset 0"),
        ('<a href="x"/>y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href=x/>y</a>", "Unexpected end of name token at byte offset 8"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ('<tg-emoji emoji-id="x">y</tg-emoji>', "Invalid custom emoji identifier specified"),
        ('<tg-time unix="1" format="xyz">y</tg-time>', "Invalid date format used"),
        ("é<p>", 'Unsupported start tag "p" at byte offset 2'),
    ],
)
def test_errors_match_telegram_with_utf8_byte_offsets(source: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert str(caught.value) == reason


def entity(kind: str, offset: int, length: int, **extra: object) -> dict[str, object]:
    return {"type": kind, "offset": offset, "length": length, **extra}


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ("", "", []),
        ("➡️ ➡️", "➡️ ➡️", []),
        (
            "&ge;&lt;&gt;&amp;&quot;&laquo;&raquo;&#12345678;",
            '&ge;<>&"&laquo;&raquo;&#12345678;',
            [],
        ),
        ("&#x41;&#66;&lt", "AB<", []),
        ("🏟 🏟<i>🏟 &lt🏟</i>", "🏟 🏟🏟 <🏟", [entity("italic", 5, 6)]),
        (
            "🏟 🏟<i>🏟 &gt;<b aba   =   caba>&lt🏟</b></i>",
            "🏟 🏟🏟 ><🏟",
            [entity("italic", 5, 7), entity("bold", 9, 3)],
        ),
        ("🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;'>a</>", "🏟 🏟<a", [entity("italic", 6, 1)]),
        ("🏟 🏟&lt;<i>a</    >", "🏟 🏟<a", [entity("italic", 6, 1)]),
        ("🏟 🏟&lt;<b></b>", "🏟 🏟<", []),
        ("<B>x</b><STRONG>y</STRONG>", "xy", [entity("bold", 0, 1), entity("bold", 1, 1)]),
        (
            "<s>a</s><strike>b</strike><del>c</del><u>d</u><ins>e</ins>",
            "abcde",
            [
                entity("strikethrough", 0, 1),
                entity("strikethrough", 1, 1),
                entity("strikethrough", 2, 1),
                entity("underline", 3, 1),
                entity("underline", 4, 1),
            ],
        ),
        (
            '<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>',
            "ab",
            [entity("spoiler", 0, 1), entity("spoiler", 1, 1)],
        ),
        (
            "<a href=telegram.org> </a>",
            " ",
            [entity("text_link", 0, 1, url="http://telegram.org/")],
        ),
        (
            "<a   href=  'telegram.org?&lt;'   > </a>",
            " ",
            [entity("text_link", 0, 1, url="http://telegram.org/?<")],
        ),
        ("<a> </a>", " ", []),
        (
            "<a>telegram.org</a>",
            "telegram.org",
            [entity("text_link", 0, 12, url="http://telegram.org/")],
        ),
        (
            '<a href="https://x.fr/a?b=1">lien</a>',
            "lien",
            [entity("text_link", 0, 4, url="https://x.fr/a?b=1")],
        ),
        (
            '<a href="tg://user?id=42">Bob</a>',
            "Bob",
            [entity("text_mention", 0, 3, user={"id": 42})],
        ),
        (
            '🏟 🏟&lt;<pre><code class="language-fift">🏟 🏟&lt;</></>',
            "🏟 🏟<🏟 🏟<",
            [entity("pre", 6, 6, language="fift")],
        ),
        (
            '🏟 🏟&lt;<code class="language-fift"><pre>🏟 🏟&lt;</></>',
            "🏟 🏟<🏟 🏟<",
            [entity("pre", 6, 6, language="fift")],
        ),
        (
            '🏟 🏟&lt;<pre><code class="language-fift">🏟 🏟&lt;</> </>',
            "🏟 🏟<🏟 🏟< ",
            [entity("pre", 6, 7), entity("code", 6, 6)],
        ),
        (
            "<code><i><b> </b></i></code>",
            " ",
            [entity("code", 0, 1), entity("bold", 0, 1), entity("italic", 0, 1)],
        ),
        (
            "<blockquote   expandable>a&lt;<pre  >b;</></>",
            "a<b;",
            [entity("expandable_blockquote", 0, 4), entity("pre", 2, 2)],
        ),
        ("<blockquote>q</blockquote>", "q", [entity("blockquote", 0, 1)]),
        (
            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
            "👍",
            [entity("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
        ),
        (
            '<tg-time unix="1700000000" format="wDT">lundi</tg-time>',
            "lundi",
            [entity("date_time", 0, 5, unix_time=1700000000, date_time_format="wDT")],
        ),
    ],
)
def test_text_and_entities_match_telegram(
    source: str, text: str, entities: list[dict[str, object]]
) -> None:
    parsed = parse_html(source)
    assert parsed.text == text
    assert parsed.entities == entities


@given(st.text())
def test_escaped_text_round_trips_without_entities(text: str) -> None:
    parsed = parse_html(html.escape(text))
    assert parsed.text == text
    assert parsed.entities == []


@given(st.text(min_size=1), st.sampled_from(["b", "i", "u", "s", "code", "tg-spoiler"]))
def test_one_tag_covers_its_text_in_utf16_units(text: str, tag: str) -> None:
    parsed = parse_html(f"x<{tag}>{html.escape(text)}</{tag}>")
    assert parsed.text == "x" + text
    assert len(parsed.entities) == 1
    assert parsed.entities[0]["offset"] == 1
    assert parsed.entities[0]["length"] == utf16_length(text)


def api_error(call: object) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call()  # type: ignore[operator]
    return caught.value


def test_length_is_counted_after_parsing_in_code_points() -> None:
    text, entities = format_text("<b>" + "é" * 4096 + "</b>", "HTML")
    assert len(text) == 4096
    assert entities == [{"type": "bold", "offset": 0, "length": 4096}]
    error = api_error(lambda: format_text("<b>" + "é" * 4097 + "</b>", "HTML"))
    assert (error.code, error.description) == (400, "Bad Request: message is too long")


def test_whitespace_is_trimmed_and_entities_follow() -> None:
    text, entities = format_text("  \n<b> gras </b> fin \n", "html")
    assert text == "gras  fin"
    assert entities == [{"type": "bold", "offset": 0, "length": 5}]


def test_empty_after_parsing_and_parse_errors_have_telegram_texts() -> None:
    assert api_error(lambda: format_text("<b> </b>", "HTML")).description == (
        "Bad Request: text must be non-empty"
    )
    assert api_error(lambda: format_text("<b>x", "HTML")).description == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    assert api_error(lambda: format_text("*x*", "MarkdownV2")).description == (
        "Bad Request: unsupported parse_mode"
    )


def test_plain_text_keeps_markup_characters_and_explicit_entities() -> None:
    text, entities = format_text(
        "<b>x</b>", None, '[{"type":"italic","offset":0,"length":3},{"type":"nope"}]'
    )
    assert text == "<b>x</b>"
    assert entities == [{"type": "italic", "offset": 0, "length": 3}]


def test_incoming_commands_get_bot_command_entities() -> None:
    assert command_entities("/start abc_123") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command_entities("🏟 /aide@maillage_bot puis /x") == [
        {"type": "bot_command", "offset": 3, "length": 18},
        {"type": "bot_command", "offset": 27, "length": 2},
    ]
    assert command_entities("a/b http://x.fr/path") == []
