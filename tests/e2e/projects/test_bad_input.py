"""Projects bad input: clear answers in the member's language, nothing lost, refusals audited."""

from __future__ import annotations

from bot.domain.projects import ProjectStatus
from tests.e2e.conftest import Network
from tests.e2e.projects.helpers import answer, meet_all, propose


async def test_bad_fields_stickers_and_commands_mid_proposal(network: Network) -> None:
    bruno = await network.member("Bruno")
    await answer(bruno, "/projets", "Projets stratégiques")
    await bruno.tap("💡 Proposer un projet")
    await bruno.expect("Quel est le titre")
    await answer(bruno, "x" * 101, "C’est trop long : 100 caractères au maximum.")
    await bruno.send_sticker()
    await bruno.expect("Merci de répondre par un message texte.")
    await answer(bruno, "Tiers-lieux", "Quel problème")
    await answer(bruno, "p" * 1001, "C’est trop long : 1000 caractères au maximum.")
    await answer(bruno, "/visio", "Vous êtes au milieu d’une question")
    await answer(bruno, "Peu de lieux partagés", "Pour qui ?")
    await answer(bruno, "/annuler", "C’est annulé")
    [draft] = await network.services.projects.mine(bruno.user_id)  # nothing lost
    assert (draft.title, draft.problem, draft.status) == (
        "Tiers-lieux",
        "Peu de lieux partagés",
        ProjectStatus.DRAFT,
    )
    emma = await network.member("Emma", "en")
    await answer(emma, "/projects", "strategic projects")
    await emma.tap("💡 Propose a project")
    await answer(emma, "e" * 150, "That is too long: 100 characters at most.")
    await emma.send_sticker()
    await emma.expect("Please answer with a text message.")
    await answer(emma, "/cancel", "Cancelled.")
    assert await network.services.projects.mine(emma.user_id) == []


async def test_stale_criteria_buttons_and_comments_are_refused(network: Network) -> None:
    anne = await network.animator()
    alice = await network.member("Alice")
    await propose(alice, "Accueil numérique")
    [project] = await network.services.projects.mine(alice.user_id)
    await alice.tap("✅ Critères de l’étape")
    await alice.expect("Étape 1/5")
    old = alice.message_with_buttons(None)["message_id"]
    await meet_all(alice, 3)
    await alice.tap("1. ✅")
    await alice.expect("C’est noté pour le critère 1")
    await network.services.projects.validate(anne.user_id, project.id, 0)
    await answer(alice, "Un commentaire trop tard", "Ce projet a changé depuis")
    await alice.tap("2. ⏳", message_id=old)
    toast = await alice.expect("Ce projet a changé depuis")
    assert toast["show_alert"]
    answers = await network.services.projects.store.all_answers(project.id)
    assert {a["answer"] for a in answers} == {"met"} and all(a["comment"] is None for a in answers)
    await answer(alice, "Bonjour", "Je n’ai pas compris")  # the conversation ended


async def test_non_holders_and_non_animators_are_refused_and_audited(network: Network) -> None:
    await network.animator()
    alice = await network.member("Alice")
    bruno = await network.member("Bruno")
    await propose(alice, "Accueil numérique")
    [project] = await network.services.projects.mine(alice.user_id)
    pid = project.id
    await answer(bruno, "/projets", "Projets stratégiques")
    refusals = [
        (f"pj_ans:1:{pid}:0:1:m", "Seul·e la personne qui porte ce projet"),
        (f"pj_check:1:{pid}", "Seul·e la personne qui porte ce projet"),
        (f"pj_act:1:{pid}:note", "Seul·e la personne qui porte ce projet"),
        (f"pj_act:1:{pid}:limit", "Seul·e la personne qui porte ce projet"),
        (f"pj_valid:1:{pid}:0", "réservée à l’équipe d’animation"),
    ]
    for data, refusal in refusals:
        await bruno.tap_data(data)
        toast = await bruno.expect(refusal)
        assert toast["show_alert"]
    assert (await network.services.projects.get(pid)).step == 0
    assert await network.services.projects.answers(project) == []
    audited = [(e.action, e.allowed) for e in await network.services.audit.for_user(bruno.user_id)]
    assert audited == [
        ("projects_answer", False),
        ("projects_checklist", False),
        ("projects_note", False),
        ("projects_limit", False),
        ("projects_validate", False),
    ]


async def test_forged_buttons_expire(network: Network) -> None:
    alice = await network.member("Alice")
    await propose(alice, "Accueil numérique")
    [project] = await network.services.projects.mine(alice.user_id)
    pid = project.id
    for data in (
        "pj_view:1:999",
        "pj_view:1:abc",
        "pj_menu:1:nothing",
        f"pj_ans:1:{pid}:0:1:z",
        f"pj_ans:1:{pid}:x:1:m",
        f"pj_join:1:{pid}:7",
        f"pj_act:1:{pid}:delete",
    ):
        await alice.tap_data(data)
        await alice.expect("Ce bouton a expiré.")
    await alice.tap_data(f"pj_ans:1:{pid}:0:9:m")  # no 9th criterion: changed since
    await alice.expect("Ce projet a changé depuis")
    assert await network.services.projects.answers(project) == []


async def test_a_restart_mid_proposal_loses_nothing(network: Network) -> None:
    bruno = await network.member("Bruno")
    await answer(bruno, "/projets", "Projets stratégiques")
    await bruno.tap("💡 Proposer un projet")
    await bruno.expect("Quel est le titre")
    await answer(bruno, "Tiers-lieux", "Quel problème")
    await network.restart()
    await answer(bruno, "Peu de lieux partagés", "Pour qui ?")
    [draft] = await network.services.projects.mine(bruno.user_id)
    assert (draft.title, draft.problem) == ("Tiers-lieux", "Peu de lieux partagés")


async def test_a_project_with_every_field_full_still_fits_one_message(network: Network) -> None:
    alice = await network.member("Alice")
    await answer(alice, "/projets", "Projets stratégiques")
    await alice.tap("💡 Proposer un projet")
    await alice.expect("Quel est le titre")
    await answer(alice, "t" * 100, "Quel problème")
    await answer(alice, "p" * 1000, "Pour qui ?")
    await answer(alice, "u" * 1000, "De quoi avez-vous besoin")
    await answer(alice, "n" * 1000, "est proposé")
    [project] = await network.services.projects.mine(alice.user_id)
    for number in range(5):
        await network.services.projects.team.add_note(alice.user_id, project.id, f"{number}" * 1000)
    await alice.tap("📌 Voir le projet")
    card = await alice.expect("Porté par Alice")
    assert len(card["text"]) < 4096 and "p" * 698 + "…" in card["text"]
    await alice.tap("✅ Critères de l’étape")
    await alice.expect("Étape 1/5")
    await alice.tap("1. ✅")
    await alice.expect("C’est noté pour le critère 1")
    await answer(alice, "c" * 500, "Commentaire enregistré")
    await alice.tap("⬅️ Retour")
    await alice.expect("Porté par Alice")
    await alice.tap("✅ Critères de l’étape")
    checklist = await alice.expect("Étape 1/5")
    assert "c" * 149 + "…" in checklist["text"]
