"""Proposing a project, answering its criteria, an animator validating: through the sandbox."""

from __future__ import annotations

import json

from bot.domain.projects import Answer, ProjectStatus
from tests.e2e.conftest import Network
from tests.e2e.projects.helpers import AUDIENCE, answer, propose


async def test_a_member_proposes_answers_and_an_animator_validates(network: Network) -> None:
    anne = await network.animator()
    alice = await network.member("Alice")
    done = await propose(alice, "Accueil numérique & <co>")
    assert "« Accueil numérique & <co> »" in done["text"]
    [project] = await network.services.projects.mine(alice.user_id)
    assert project.status is ProjectStatus.ACTIVE and project.audience == AUDIENCE

    await alice.tap("✅ Critères de l’étape")
    shown = await alice.expect("Étape 1/5 : Problème et usagers")
    assert "(obligatoire)" in shown["text"]
    assert alice.buttons()[1] == ["2. ✅", "2. ⏳"]  # never "not applicable" for the users
    await alice.tap("1. ✅")
    await alice.expect("C’est noté pour le critère 1")
    await answer(alice, "Vu dans trois MFS de la Drôme", "Commentaire enregistré")
    await alice.tap("2. ⏳")
    await alice.expect("C’est noté pour le critère 2")
    await answer(alice, "/passer", "sans commentaire")
    await alice.tap("3. ∅")
    await answer(alice, "/passer", "sans commentaire")

    await answer(anne, "/projets", "Projets stratégiques")
    await anne.tap("🔎 Projets à rejoindre")
    await anne.expect("Projets à rejoindre")
    await anne.tap("📌 Accueil numérique & <co>")
    await anne.expect("Porté par")
    await anne.tap("✔️ Valider l’étape 1")
    toast = await anne.expect("la dimension usagers est obligatoire")
    assert toast["show_alert"]
    assert (await network.services.projects.get(project.id)).step == 0

    await answer(alice, "/projets", "Vos projets")
    await alice.tap("📌 Accueil numérique & <co>")
    await alice.expect("Porté par Alice")
    await alice.tap("✅ Critères de l’étape")
    listed = await alice.expect("Étape 1/5")
    assert "💬 Vu dans trois MFS de la Drôme" in listed["text"]
    await alice.tap("2. ✅")
    await answer(alice, "/passer", "sans commentaire")
    await anne.tap("✔️ Valider l’étape 1")
    moved = await anne.expect("Étape 2/5 : Parties prenantes")
    assert any("✔️ Valider l’étape 2" in row for row in anne.buttons())
    await alice.expect("L’étape 1 du projet « Accueil numérique & <co> » est validée")
    answers = await network.services.projects.store.all_answers(project.id)
    assert [(a["criterion"], a["answer"]) for a in answers] == [
        ("need", Answer.MET.value),
        ("network", Answer.NA.value),
        ("users", Answer.MET.value),
    ]
    assert "Accueil numérique" in moved["text"]


async def test_a_project_through_every_step_is_done(network: Network) -> None:
    anne = await network.animator()
    emma = await network.member("Emma", "en")
    await emma.send("/projects")
    await emma.expect("The network’s strategic projects")
    await emma.tap("💡 Propose a project")
    await answer(emma, "Open data", "Which problem")
    await answer(emma, "Nobody finds the data", "For whom?")
    await answer(emma, "Members and residents", "What do you need")
    await answer(emma, "A developer", "is proposed")
    [project] = await network.services.projects.mine(emma.user_id)
    await answer(anne, "/projets", "Projets stratégiques")
    await anne.tap("🔎 Projets à rejoindre")
    await anne.expect("Projets à rejoindre")
    await anne.tap("📌 Open data")
    await anne.expect("Porté par Emma")
    for step in range(5):
        await emma.tap("✅ Step criteria")
        await emma.expect(f"Step {step + 1}/5")
        for number in range(1, 4):
            await emma.tap(f"{number}. ✅")
            await emma.expect(f"Noted for criterion {number}")
            await answer(emma, "/skip", "without a comment")
        await anne.tap(f"✔️ Valider l’étape {step + 1}")
        await anne.expect("Étape" if step < 4 else "Les 5 étapes sont validées")
        expected = "Well done" if step == 4 else f"Step {step + 1} of the project"
        await emma.expect(expected)
        if step < 4:
            await emma.tap("📌 See the project")
            await emma.expect("Carried by Emma")
    assert (await network.services.projects.get(project.id)).status is ProjectStatus.DONE


async def test_my_data_lists_projects_held_joined_and_news_written(network: Network) -> None:
    alice = await network.member("Alice")
    bruno = await network.member("Bruno")
    await propose(alice, "Accueil numérique")
    [project] = await network.services.projects.mine(alice.user_id)
    await alice.tap("✅ Critères de l’étape")
    await alice.expect("Étape 1/5")
    await alice.tap("1. ✅")
    await alice.expect("C’est noté pour le critère 1")
    await answer(alice, "Vu en MFS", "Commentaire enregistré")
    await network.services.projects.team.join(bruno.user_id, project.id)
    await network.services.projects.team.add_note(alice.user_id, project.id, "Premier atelier")
    await alice.send("/mes_donnees")
    alice_data = json.loads((await alice.expect_document()).data)["projects"]
    [held] = alice_data["held"]
    assert (held["title"], held["audience"]) == ("Accueil numérique", AUDIENCE)
    assert [(a["criterion"], a["comment"]) for a in held["answers"]] == [("need", "Vu en MFS")]
    assert [n["text"] for n in alice_data["notes"]] == ["Premier atelier"]
    await bruno.send("/mes_donnees")
    bruno_data = json.loads((await bruno.expect_document()).data)["projects"]
    assert bruno_data["held"] == [] and [j["project_id"] for j in bruno_data["joined"]] == [
        project.id
    ]


async def test_the_main_menu_opens_the_projects(network: Network) -> None:
    bruno = await network.member("Bruno")
    await answer(bruno, "/menu", "que voulez-vous faire")
    await bruno.tap("📌 Projets stratégiques")
    await bruno.expect("Vous ne portez ni ne suivez encore aucun projet")
