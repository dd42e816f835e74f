import pytest

from bot.delivery import Content, Message
from bot.delivery.content import MAX_MESSAGE_LENGTH, visible_length


def test_length_counts_what_telegram_shows_in_utf16_units() -> None:
    assert visible_length("<b>Bonjour</b> &amp; <a href='https://x.fr'>à</a>") == 11
    assert visible_length("😀") == 2
    assert visible_length("&lt;b&gt;") == 3


def test_a_part_may_be_exactly_the_limit_and_tags_do_not_count() -> None:
    Message(("<i>" + "x" * MAX_MESSAGE_LENGTH + "</i>",))
    with pytest.raises(ValueError, match=r"part 2 is 4097 characters long \(max 4096\)"):
        Message(("ok", "y" * (MAX_MESSAGE_LENGTH + 1)))


@pytest.mark.parametrize(
    ("parts", "keyboard", "error"),
    [
        ((), None, "at least one part"),
        (("<b> </b>",), None, "part 1 is empty"),
        (("ok",), {"keyboard": []}, "inline_keyboard"),
        (("ok",), {"inline_keyboard": [{"text": "x"}]}, "inline_keyboard"),
    ],
)
def test_bad_messages_are_refused(
    parts: tuple[str, ...], keyboard: dict[str, object] | None, error: str
) -> None:
    with pytest.raises(ValueError, match=error):
        Message(parts, keyboard)


def test_members_get_their_language_or_the_first_one() -> None:
    content = Content({"fr": Message(("Bonjour",)), "en": Message(("Hello",))})
    assert content.for_language("en").parts == ("Hello",)
    assert content.for_language("de").parts == ("Bonjour",)
    with pytest.raises(ValueError, match="at least one language"):
        Content({})
