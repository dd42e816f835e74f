"""Typed titles, links, windows and reminders: cleaned, or refused with a code."""

from __future__ import annotations

import pytest

from bot.domain.visio.inputs import (
    clean_description,
    clean_link,
    clean_title,
    normalise,
    parse_reminders,
    parse_windows,
)
from bot.domain.visio.model import VisioError


def code_of(call, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(VisioError) as refused:
        call(*args)
    return refused.value.code


def test_titles_are_collapsed_and_limited_to_100_characters() -> None:
    assert clean_title("  Accueil   des  usagers ") == "Accueil des usagers"
    assert clean_title("x" * 100) == "x" * 100
    assert code_of(clean_title, "x" * 101) == "too_long"
    assert code_of(clean_title, "   ") == "empty"
    assert code_of(clean_title, None) == "empty"


def test_descriptions_keep_line_breaks() -> None:
    assert clean_description(" Ligne 1 \n\n  ligne  2 ") == "Ligne 1\nligne 2"
    assert code_of(clean_description, "y" * 1001) == "too_long"


def test_normalised_titles_ignore_case_accents_and_punctuation() -> None:
    assert normalise("L’accueil des usagers !") == normalise("l accueil  des Usagers")
    assert normalise("Éducation") == normalise("education")
    assert normalise("Accueil") != normalise("Accueils")


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://x.org", "visio.example.org", "https://", "http://a b"]
)
def test_links_must_be_http_or_https(link: str) -> None:
    assert code_of(clean_link, link) == "bad_link"


def test_good_links_are_kept() -> None:
    assert clean_link(" https://visio.example.org/salle?x=1 ") == (
        "https://visio.example.org/salle?x=1"
    )


def test_windows_must_be_ordered() -> None:
    assert parse_windows("21 14 7") == (21, 14, 7)
    assert parse_windows("21, 14, 7") == (21, 14, 7)
    for bad in ("14 21 7", "21 14", "21 7 7", "21 14 0", "a b c", "200 14 7", "21 14 7j"):
        assert code_of(parse_windows, bad) == "bad_windows"


def test_reminders_in_days_hours_minutes() -> None:
    assert parse_reminders("7j 1j 1h") == (10080, 1440, 60)
    assert parse_reminders("30min, 2d") == (2880, 30)
    assert parse_reminders("aucun") == ()
    for bad in ("", "7 jours", "0h", "1h 2h 3h 4h 5h 6h"):
        assert code_of(parse_reminders, bad) == "bad_reminders"
