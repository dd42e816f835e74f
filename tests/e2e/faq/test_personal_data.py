"""/mes_donnees exports the questions a member asked the animators, with their answers."""

from __future__ import annotations

import json

from tests.e2e.conftest import Network
from tests.e2e.faq.helpers import answer


async def test_my_data_lists_my_questions_and_their_answers(network: Network) -> None:
    anne = await network.animator()
    bruno = await network.member("Bruno")
    await answer(bruno, "/faq", "Questions fréquentes")
    await bruno.tap("✉️ Poser une question")
    await bruno.expect("Écrivez votre question")
    await answer(bruno, "Qui tient l’annuaire ?", "a été transmise")
    await anne.expect("Question d’un membre")
    await anne.tap("✍️ Répondre")
    await anne.expect("Écrivez votre réponse")
    await answer(anne, "L’équipe nationale.", "Réponse envoyée au membre")
    await bruno.expect("L’équipe nationale.")
    await bruno.send("/mes_donnees")
    document = await bruno.expect_document()
    [asked] = json.loads(document.data)["faq"]["questions"]
    assert (asked["text"], asked["status"], asked["answer"]) == (
        "Qui tient l’annuaire ?",
        "answered",
        "L’équipe nationale.",
    )
    assert asked["published"] is False
