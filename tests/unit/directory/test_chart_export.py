"""The chart of cards per territory and the export tables."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.directory import CardSource
from bot.domain.directory.card import CARD_FIELDS, Card
from bot.domain.directory.chart import MAX_TERRITORIES, territory_chart
from bot.domain.directory.export import TELEGRAM_COLUMN, card_table

TITLES = {name: name.upper() for name in (*CARD_FIELDS, TELEGRAM_COLUMN)}


def _card(user_id: int | None, link: bool, skills: str = "") -> Card:
    source = CardSource.MEMBER if user_id else CardSource.IMPORT
    at = datetime(2026, 12, 1, tzinfo=UTC)
    return Card(1, user_id, source, "N", "S", "T", "R", skills, "C", link, at)


def test_the_chart_is_a_png_even_with_many_territories() -> None:
    counts = [(f"Territoire {n}", 100 - n) for n in range(MAX_TERRITORIES + 5)]
    png = territory_chart(counts, "Titre", "Fiches", "Autres")
    assert png.startswith(b"\x89PNG")
    assert territory_chart([("Drôme", 1)], "Titre", "Fiches", "Autres").startswith(b"\x89PNG")


def test_the_export_shows_a_telegram_link_only_when_allowed_and_quotes_formulas() -> None:
    table = card_table(
        [_card(5, True), _card(6, False, "=cmd|' /C calc'!A0"), _card(None, True)], TITLES
    )
    assert table[0] == ["NAME", "STRUCTURE", "TERRITORY", "ROLE", "SKILLS", "CONTACT", "TELEGRAM"]
    assert [row[-1] for row in table[1:]] == ["tg://user?id=5", "", ""]
    assert table[2][4] == "'=cmd|' /C calc'!A0"
