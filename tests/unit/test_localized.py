from zoneinfo import ZoneInfo

from bot.i18n import Catalogs, Translator
from bot.localized import keyboard_data, localized_content

CATALOGS = Catalogs()


def translator(language: str) -> Translator:
    return Translator(CATALOGS, language, ZoneInfo("Europe/Paris"))


def test_button_labels_are_plain_text_even_when_made_with_escaped_parameters() -> None:
    label = translator("fr")("codev.home.member", name="R&D <Sud>")
    assert "&amp;" in label
    data = keyboard_data([[(label, "cd_grp:1:1")]])
    assert data == {"inline_keyboard": [[{"text": "👥 R&D <Sud>", "callback_data": "cd_grp:1:1"}]]}
    assert keyboard_data([]) is None


def test_content_in_every_language_with_the_network_language_first() -> None:
    content = localized_content(
        lambda t: ([t("codev.home.none")], [[(t("codev.home.browse"), "cd_browse:1")]]),
        translator,
        "en",
    )
    assert list(content.messages) == ["en", "fr"]
    assert content.for_language("fr").parts == (
        "Vous ne faites partie d’aucun groupe pour l’instant.",
    )
    assert content.for_language("de").parts == ("You are not in any group yet.",)
    assert content.for_language("en").keyboard["inline_keyboard"][0][0]["text"].startswith("🔎")
