"""Cards, search and territories through the service, on a real SQLite database."""

from __future__ import annotations

import pytest

from bot.domain.directory import FIELD_LIMITS, PAGE_SIZE, CardError
from bot.domain.directory.search import MAX_QUERY_BYTES, fts_query, search_terms
from bot.seed import Profile, seed_member
from bot.services import Services

HOSTILE = [
    '"',
    '""',
    "*",
    "-",
    "- -",
    "NEAR",
    "NEAR(a b)",
    "OR",
    "a OR",
    "AND NOT",
    "(",
    ")",
    ":",
    "structure:",
    "'; DROP TABLE directory_cards; --",
    '"; DELETE FROM members; --',
    "^die",
    "{name structure}: x",
    "💥",
    "a" * 5000,
    "\x00",
]


async def _member(services: Services, user_id: int, profile: Profile) -> None:
    await seed_member(services, user_id, profile)
    member = await services.members.get(user_id)
    assert member is not None
    await services.directory.publish(member)


@pytest.fixture
async def directory(services: Services) -> Services:
    await _member(services, 1, Profile("Élodie Faure", "France Services Die", "Drôme", "Agente"))
    await _member(services, 2, Profile("Bruno Lefèvre", "Mairie de Privas", "Ardèche", "DGS"))
    await _member(services, 3, Profile("Chloé Roux", "MFS Crest", "drome", "Conseillère"))
    await services.directory.set_field(1, "skills", "Accompagnement numérique, CAF, impôts")
    return services


async def test_publishing_prefills_the_card_from_the_profile(directory: Services) -> None:
    card = await directory.directory.card_of(1)
    assert card is not None
    assert (card.name, card.structure, card.territory, card.role) == (
        "Élodie Faure",
        "France Services Die",
        "Drôme",
        "Agente",
    )
    assert not card.telegram_link


async def test_search_ignores_accents_and_case_and_takes_prefixes(directory: Services) -> None:
    for typed in ("elodie", "ÉLODIE", "Élo", "numer", "fRaNcE serv", "drome die"):
        _, page = await directory.directory.search(typed)
        assert [c.user_id for c in page.cards] == [1], typed
    _, page = await directory.directory.search("drôme")
    assert {c.user_id for c in page.cards} == {1, 3}


@pytest.mark.parametrize("typed", HOSTILE)
async def test_syntax_characters_never_raise_nor_inject(directory: Services, typed: str) -> None:
    terms, page = await directory.directory.search(typed)
    assert len(" ".join(terms).encode()) <= MAX_QUERY_BYTES
    assert page.total >= 0
    row = await directory.db.fetchone("SELECT count(*) AS n FROM directory_cards")
    assert row["n"] == 3
    assert await directory.members.get(1) is not None


def test_the_query_is_quoted_words_only() -> None:
    terms = search_terms('Saint-Étienne "OR" NEAR(x) *:')
    assert terms == ("saint", "etienne", "or", "near", "x")
    assert fts_query(terms) == '"saint"* "etienne"* "or"* "near"* "x"'
    assert fts_query(search_terms("'; -- *")) is None


async def test_over_long_fields_are_refused_and_nothing_changes(directory: Services) -> None:
    with pytest.raises(CardError) as refused:
        await directory.directory.set_field(1, "skills", "x" * (FIELD_LIMITS["skills"] + 1))
    assert refused.value.code == "too_long"
    with pytest.raises(CardError):
        await directory.directory.set_field(1, "structure", "   ")
    card = await directory.directory.card_of(1)
    assert card is not None and card.skills.startswith("Accompagnement")


async def test_territories_group_spellings_and_page(directory: Services) -> None:
    territories = await directory.directory.territories()
    assert [(t.count) for t in territories] == [2, 1]
    drome = territories[0]
    assert drome.label in {"Drôme", "drome"}
    found = await directory.directory.territory(drome.key)
    assert found is not None
    assert {c.user_id for c in found[1].cards} == {1, 3}
    assert await directory.directory.territory("0000000000") is None


async def test_paging_over_many_cards(services: Services) -> None:
    for user_id in range(10, 10 + PAGE_SIZE * 2 + 3):
        await _member(services, user_id, Profile(f"Agent {user_id}", "MFS", "Isère", "Agent"))
    _, first = await services.directory.search("agent")
    assert first.total == PAGE_SIZE * 2 + 3 and first.pages == 3
    _, last = await services.directory.search("agent", 2)
    assert len(last.cards) == 3
    _, beyond = await services.directory.search("agent", 10**9)
    assert (beyond.number, beyond.cards) == (2, last.cards)
    seen = {c.id for p in (0, 1, 2) for c in (await services.directory.search("agent", p))[1].cards}
    assert len(seen) == PAGE_SIZE * 2 + 3


async def test_withdrawing_removes_the_card_and_its_words(directory: Services) -> None:
    assert await directory.directory.withdraw(1)
    _, page = await directory.directory.search("elodie")
    assert page.total == 0
    assert await directory.directory.card_of(1) is None
    assert not await directory.directory.withdraw(1)


async def test_personal_data_export_and_erasure(directory: Services) -> None:
    await directory.directory.set_telegram_link(1, True)
    exported = await directory.directory.export_personal_data(1)
    assert exported is not None and exported["telegram_link"] is True
    assert exported["skills"].startswith("Accompagnement")
    await directory.directory.erase_personal_data(1)
    assert await directory.directory.export_personal_data(1) is None
