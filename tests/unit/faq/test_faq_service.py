"""FAQ rules and storage: entries in order, two languages, search, questions answered once."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.faq import FaqError, FaqService, QuestionStatus, Version
from bot.domain.faq.demo import seed_demo_faq
from bot.domain.faq.text import clean_answer, match_expression, parse_entry, parse_theme
from bot.services import Services

FR = Version("Comment rejoindre un groupe de codéveloppement ?", "Tapez <b>/codev</b>.")
EN = Version("How do I join a co-development group?", "Type <b>/codev</b>.")


async def _faq(services: Services) -> tuple[FaqService, int]:
    faq = services.faq
    theme = await faq.add_theme("Codéveloppement | Co-development")
    return faq, theme.id


def test_an_entry_is_its_first_line_then_the_answer() -> None:
    version = parse_entry("  <b>Qu’est-ce que</b> le réseau ?\nUn réseau de <i>80</i> maisons.")
    assert version == Version("Qu’est-ce que le réseau ?", "Un réseau de <i>80</i> maisons.")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("Une question sans réponse", "no_answer"),
        ("Question\n<script>alert(1)</script>", "bad_html"),
        ("Question\n<b>jamais fermé", "bad_html"),
        ("Question\n" + "x" * 3001, "too_long"),
        ("Q" * 201 + "\nRéponse", "too_long"),
    ],
)
def test_bad_entries_are_refused_with_a_reason(typed: str, code: str) -> None:
    with pytest.raises(FaqError) as raised:
        parse_entry(typed)
    assert raised.value.code == code


def test_an_answer_is_measured_by_what_it_shows() -> None:
    assert clean_answer("<b>" + "é" * 3000 + "</b>").startswith("<b>")
    with pytest.raises(FaqError, match="too_long"):
        clean_answer("&amp;" * 3001)


def test_a_theme_has_a_name_per_language_or_one_for_both() -> None:
    assert parse_theme("Outils | Tools") == ("Outils", "Tools")
    assert parse_theme("Visio") == ("Visio", "Visio")
    with pytest.raises(FaqError, match="empty"):
        parse_theme(" | Tools")


@pytest.mark.parametrize(
    "typed", ["AND", "a OR b", "NEAR(a b)", "col:mot", "mot*", "'; DROP TABLE x; --", "^x"]
)
def test_search_input_is_only_quoted_words(typed: str) -> None:
    expression = match_expression(typed)
    assert all(part.startswith('"') and part.endswith('"*') for part in expression.split())


@pytest.mark.parametrize("typed", ['"', "*", "(", "  ", "-_-"])
def test_search_input_without_words_is_refused(typed: str) -> None:
    with pytest.raises(FaqError, match="no_words"):
        match_expression(typed)


async def test_entries_keep_their_order_and_move(services: Services) -> None:
    faq, theme = await _faq(services)
    first = await faq.add_entry(theme, FR, EN)
    second = await faq.add_entry(theme, None, EN)
    assert [e.id for e in await faq.entries.entries(theme)] == [first.id, second.id]
    assert await faq.move(second.id, second.position, -1)
    assert [e.id for e in await faq.entries.entries(theme)] == [second.id, first.id]
    assert not await faq.move(second.id, second.position, -1)  # the list changed since
    moved = await faq.entries.entry(second.id)
    assert moved is not None and not await faq.move(second.id, moved.position, -1)  # first


async def test_a_member_reads_their_language_or_the_only_one(services: Services) -> None:
    faq, theme = await _faq(services)
    english_only = await faq.add_entry(theme, None, EN)
    assert english_only.version("fr") == (EN, "en")
    both = await faq.add_entry(theme, FR, EN)
    assert both.version("en") == (EN, "en") and both.version("fr") == (FR, "fr")
    with pytest.raises(FaqError, match="last_version"):
        await faq.set_version(english_only.id, "en", None)
    assert (await faq.set_version(both.id, "en", None)).en is None


async def test_search_ignores_accents_and_case_and_never_raises(services: Services) -> None:
    faq, theme = await _faq(services)
    entry = await faq.add_entry(theme, FR, EN)
    other = await faq.add_entry(theme, Version("La visio mensuelle", "Le <i>2e mardi</i>."), None)
    assert [e.id for e in await faq.search("CODEVELOPPEMENT")] == [entry.id]
    assert [e.id for e in await faq.search("deuxieme mardi")] == []
    assert [e.id for e in await faq.search("2e MARDI")] == [other.id]
    assert [e.id for e in await faq.search("co-dev")] == [entry.id]
    assert await faq.search("visio OR codeveloppement") == []  # OR is a word, not an operator
    for hostile in ("NEAR(", "fr:visio", "a' --", "NOT visio", 'vi"sio'):
        assert isinstance(await faq.search(hostile), list)  # no FTS syntax error
    await faq.remove(entry.id)
    assert await faq.search("codev") == []
    assert await services.db.fetchone("SELECT * FROM faq_entries WHERE id = ?", (entry.id,)) is None


async def test_a_question_is_answered_once_then_published_without_its_author(
    services: Services,
) -> None:
    faq, theme = await _faq(services)
    question = await faq.ask(42, "fr", "Où trouver la boîte à outils ?")
    assert [q.id for q in await faq.questions.waiting()] == [question.id]
    answered = await faq.record_answer(question.id, 900, "Dans le <b>wiki</b>.")
    assert answered.status is QuestionStatus.ANSWERED and answered.answered_by == 900
    with pytest.raises(FaqError, match="already_answered"):
        await faq.record_answer(question.id, 901, "Autre réponse")
    entry = await faq.publish(question.id, theme)
    assert entry.fr == Version("Où trouver la boîte à outils ?", "Dans le <b>wiki</b>.")
    with pytest.raises(FaqError, match="already_published"):
        await faq.publish(question.id, theme)
    exported = await faq.export_personal_data(42)
    assert exported["questions"][0]["text"] == "Où trouver la boîte à outils ?"
    await faq.erase_personal_data(42)
    assert await faq.questions.get(question.id) is None
    assert await faq.entries.entry(entry.id) is not None  # the published entry stays
    assert await faq.search("boite outils")


async def test_an_answer_in_bad_html_is_refused_and_the_question_still_waits(
    services: Services,
) -> None:
    faq, _ = await _faq(services)
    question = await faq.ask(42, "en", "Where is the toolbox?")
    with pytest.raises(FaqError, match="bad_html"):
        await faq.record_answer(question.id, 900, "<marquee>here</marquee>")
    assert (await faq.open_question(question.id)).status is QuestionStatus.WAITING


async def test_the_demo_faq_is_seeded_once_in_both_languages(services: Services) -> None:
    assert await seed_demo_faq(services.faq) == 8
    assert await seed_demo_faq(services.faq) == 0
    themes = await services.faq.browsable()
    assert [(theme.name_en, count) for theme, count in themes] == [
        ("The network", 2),
        ("Monthly video sessions", 2),
        ("Co-development", 2),
        ("Toolbox", 2),
    ]
    [found] = await services.faq.search("codeveloppement rejoindre")
    assert found.en is not None and found.en.question == "How do I join a co-development group?"


async def test_a_word_in_a_question_ranks_before_the_same_word_in_an_answer(
    services: Services,
) -> None:
    faq, theme = await _faq(services)
    in_answer = await faq.add_entry(
        theme, Version("Où trouver les comptes rendus ?", "Après chaque visio, par courriel."), None
    )
    in_question = await faq.add_entry(
        theme, None, Version("How long is the visio?", "Two hours, once a month.")
    )
    assert [e.id for e in await faq.search("VISIO")] == [in_question.id, in_answer.id]


async def test_two_animators_answering_at_once_record_one_answer(services: Services) -> None:
    faq, _ = await _faq(services)
    question = await faq.ask(42, "fr", "Qui anime le réseau ?")

    async def attempt(animator: int) -> str:
        try:
            await faq.record_answer(question.id, animator, f"Réponse de {animator}")
        except FaqError as error:
            return error.code
        return str(animator)

    outcomes = await asyncio.gather(attempt(900), attempt(901))
    assert sorted(outcomes)[1] == "already_answered"
    winners = [int(o) for o in outcomes if o.isdigit()]
    stored = await faq.questions.get(question.id)
    assert len(winners) == 1 and stored is not None
    assert (stored.answered_by, stored.answer) == (winners[0], f"Réponse de {winners[0]}")
