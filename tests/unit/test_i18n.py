from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalogs, Translator, pick_language, placeholders


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs()


def test_french_and_english_have_the_same_keys_and_placeholders(catalogs: Catalogs) -> None:
    fr, en = catalogs.messages["fr"], catalogs.messages["en"]
    assert set(fr) == set(en)
    for key in fr:
        fr_texts = fr[key].values() if isinstance(fr[key], dict) else [fr[key]]
        en_texts = en[key].values() if isinstance(en[key], dict) else [en[key]]
        fr_params = set().union(*(placeholders(t) for t in fr_texts))
        en_params = set().union(*(placeholders(t) for t in en_texts))
        assert fr_params == en_params, key


def test_parameters_are_escaped_but_catalog_markup_is_kept(catalogs: Catalogs) -> None:
    text = catalogs.text("fr", "onboarding.registered", network="<b>x</b> & co")
    assert "<b>&lt;b&gt;x&lt;/b&gt; &amp; co</b>" in text


def test_translations_passed_as_parameters_are_not_escaped_twice(catalogs: Catalogs) -> None:
    t = Translator(catalogs, "fr", ZoneInfo("Europe/Paris"))
    line = t("profile.summary_line", label=t("profile.label.display_name"), value="A&B")
    assert line == "Nom : A&amp;B"


def test_dates_read_like_the_field_expects(catalogs: Catalogs) -> None:
    instant = datetime(2025, 12, 9, 13, 0, tzinfo=UTC)
    paris = ZoneInfo("Europe/Paris")
    assert Translator(catalogs, "fr", paris).datetime(instant) == "mardi 9 décembre 2025 à 14 h 00"
    assert Translator(catalogs, "en", paris).datetime(instant) == "Tuesday 9 December 2025 at 14:00"


def test_missing_key_is_an_error(catalogs: Catalogs) -> None:
    with pytest.raises(KeyError):
        catalogs.text("fr", "no.such.key")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fr", "fr"), ("fr-CA", "fr"), ("en-GB", "en"), ("de", "fr"), (None, "fr")],
)
def test_language_is_picked_from_telegram(code: str | None, expected: str) -> None:
    assert pick_language(code, "fr") == expected


def test_a_key_defined_in_two_feature_files_is_refused(tmp_path) -> None:
    from bot.i18n import CatalogError, load_language

    (tmp_path / "a.toml").write_text('[x]\ny = "1"\n')
    (tmp_path / "b.toml").write_text('[x]\ny = "2"\n')
    with pytest.raises(CatalogError, match=r"x\.y"):
        load_language(tmp_path)
