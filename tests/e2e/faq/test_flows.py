"""FAQ through the sandbox: animators keep it, members browse, search and ask."""

from __future__ import annotations

from bot.domain.faq import Version
from bot.domain.members import Role
from conversations.faq.buttons import PICK, QUESTION
from tests.e2e.conftest import Network
from tests.e2e.faq.helpers import answer, seeded_entry


async def test_an_animator_adds_edits_reorders_and_removes_entries(network: Network) -> None:
    anne = await network.animator()
    await answer(anne, "/faq", "La FAQ est encore vide")
    await anne.tap("➕ Ajouter une question")
    await anne.expect("Dans quel thème ajouter")
    await anne.tap("🆕 Nouveau thème")
    await anne.expect("Nom du nouveau thème")
    await answer(anne, "Outils | Tools", "Thème « Outils » créé.")
    await answer(
        anne, "Où est la boîte à outils ?\nDans le <b>wiki</b> du réseau.", "version anglaise"
    )
    done = await answer(anne, "Where is the toolbox?\nIn the network’s wiki.", "ajoutée à la FAQ")
    assert "Dans le <b>wiki</b> du réseau." in done["text"]  # typed tags stay text
    faq = network.services.faq
    [theme] = await faq.entries.themes()
    home = await answer(anne, "/faq", "Questions fréquentes")
    assert home["buttons"][0][0]["text"] == "Outils (1)"
    await anne.tap("➕ Ajouter une question")
    await anne.expect("Dans quel thème ajouter")
    await anne.tap("Outils")
    await anne.expect("version française")
    await answer(anne, "/passer", "version anglaise")
    await answer(anne, "Who runs the visio?\nThe animators.", "ajoutée à la FAQ")
    first, second = await faq.entries.entries(theme.id)
    assert second.fr is None and second.en == Version("Who runs the visio?", "The animators.")
    await anne.tap("⬆️ Monter")
    listing = await anne.expect("Outils")
    order = [row[0]["text"] for row in listing["buttons"][:2]]
    assert order == ["Who runs the visio? (EN)", "Où est la boîte à outils ?"]
    await anne.tap("Où est la boîte à outils ?")
    await anne.expect("Dans le")
    await anne.tap("✏️ Français")
    await anne.expect("Version actuelle : « Où est la boîte à outils ? »")
    await answer(anne, "Où trouver la boîte à outils ?\nSur le wiki.", "Enregistré.")
    await anne.tap("🗑 Supprimer")
    await anne.expect("Supprimer définitivement")
    await anne.tap("🗑 Oui, supprimer")
    await anne.expect("Question supprimée")
    assert [e.id for e in await faq.entries.entries(theme.id)] == [second.id]
    assert await faq.entries.entry(first.id) is None


async def test_a_member_browses_in_their_language_with_a_clear_fallback(
    network: Network,
) -> None:
    entry = await seeded_entry(network)
    faq = network.services.faq
    french_only = await faq.add_entry(
        entry.theme_id, Version("Quand a lieu la visio ?", "Le deuxième mardi du mois."), None
    )
    emma = await network.member("Emma", "en")
    await answer(emma, "/faq", "The network’s frequent questions")
    await emma.tap("The network (2)")
    listing = await emma.expect("The network")
    labels = [row[0]["text"] for row in listing["buttons"]]
    assert labels[:2] == ["What is the network?", "Quand a lieu la visio ? (FR)"]
    await emma.tap("Quand a lieu la visio ? (FR)")
    shown = await emma.expect("only exists in French")
    assert "Le deuxième mardi du mois." in shown["text"]
    await emma.tap("‹ Back to the theme")
    await emma.expect("The network")
    await emma.tap("What is the network?")
    shown = await emma.expect("What is the network?")
    assert "The 80 France Services houses." in shown["text"] and "✏️" not in str(shown)
    assert french_only.en is None


async def test_themes_and_entries_are_paged(network: Network) -> None:
    faq = network.services.faq
    theme = await faq.add_theme("Beaucoup | Many")
    for number in range(11):
        await faq.add_entry(theme.id, Version(f"Question {number:02d} ?", "Réponse."), None)
    bruno = await network.member("Bruno")
    await answer(bruno, "/faq", "Questions fréquentes")
    await bruno.tap("Beaucoup (11)")
    first = await bruno.expect("Beaucoup")
    assert [row[0]["text"] for row in first["buttons"]][7:9] == ["Question 07 ?", "›"]
    await bruno.tap("›")
    page = await bruno.expect("Beaucoup")
    labels = [row[0]["text"] for row in page["buttons"]]
    assert labels[:3] == ["Question 08 ?", "Question 09 ?", "Question 10 ?"]


async def test_a_member_searches_without_accents_or_capitals(network: Network) -> None:
    await seeded_entry(network)
    bruno = await network.member("Bruno")
    found = await answer(bruno, "/faq RESEAU", "1 question trouvée")
    await bruno.tap("Qu’est-ce que le réseau ?")
    await bruno.expect("Les 80 maisons")
    await answer(bruno, "/faq", "Questions fréquentes")
    await bruno.tap("🔎 Rechercher")
    await bruno.expect("Quels mots cherchez-vous")
    await answer(bruno, '"*(', "Tapez au moins un mot")
    await answer(bruno, "maisons OR NEAR(x", "Aucune question ne correspond")
    await answer(bruno, "Bonjour", "Je n’ai pas compris")  # the search is over
    assert found["buttons"]


async def test_a_question_is_answered_privately_then_published(network: Network) -> None:
    anne = await network.animator()
    alice = await network.member("Alice")
    await network.services.members.force_role(alice.user_id, Role.ANIMATOR)
    entry = await seeded_entry(network)
    bruno = await network.member("Bruno Lefèvre")
    await answer(bruno, "/faq", "Questions fréquentes")
    await bruno.tap("✉️ Poser une question")
    await bruno.expect("Écrivez votre question")
    await answer(bruno, "Comment rejoindre un groupe de codéveloppement ?", "a été transmise")
    notice = await anne.expect("Question d’un membre")
    assert "Bruno Lefèvre" in notice["text"]
    await alice.expect("Question d’un membre")
    await anne.tap("✍️ Répondre")
    await anne.expect("Écrivez votre réponse")
    await alice.tap("✍️ Répondre")
    await alice.expect("Écrivez votre réponse")
    await answer(anne, "Tapez <b>/codev</b> puis suivez le lien.", "Réponse envoyée au membre")
    told = await bruno.expect("Réponse de l’équipe d’animation")
    assert "Tapez <b>/codev</b> puis suivez le lien." in told["text"]  # typed, not markup
    await answer(alice, "Une deuxième réponse", "a déjà répondu à cette question")
    await bruno.expect_nothing()
    await anne.tap("Le réseau")
    await anne.expect("Publiée dans la FAQ")
    [published] = await network.services.faq.search("codeveloppement")
    assert published.theme_id == entry.theme_id and published.en is None
    assert "Bruno" not in str(published)
    [question] = await network.services.db.fetchall("SELECT id FROM faq_questions")
    await anne.tap_data(PICK.pack(purpose="pub", ref=question["id"], theme=entry.theme_id))
    await anne.expect("déjà publiée")
    home = await answer(anne, "/faq", "Questions fréquentes")
    assert home["buttons"][-1][1]["text"] == "📥 Questions en attente (0)"


async def test_an_answer_under_way_survives_a_restart(network: Network) -> None:
    anne = await network.animator()
    bruno = await network.member("Bruno")
    question = await network.services.faq.ask(bruno.user_id, "fr", "Où est l’annuaire ?")
    await answer(anne, "/faq", "Questions fréquentes")
    await anne.tap_data(QUESTION.pack(question=question.id, action="answer"))
    await anne.expect("Écrivez votre réponse")
    await network.restart()
    await answer(anne, "Dans le tableur national.", "Réponse envoyée au membre")
    await bruno.expect("Dans le tableur national.")
    answered = await network.services.faq.questions.get(question.id)
    assert answered is not None and answered.answered_by == anne.user_id


async def test_an_answer_may_start_with_a_slash_that_is_not_a_command(network: Network) -> None:
    anne = await network.animator()
    bruno = await network.member("Bruno")
    question = await network.services.faq.ask(bruno.user_id, "fr", "Et les chemins ?")
    await answer(anne, "/faq", "Questions fréquentes")
    await anne.tap_data(QUESTION.pack(question=question.id, action="answer"))
    await anne.expect("Écrivez votre réponse")
    await answer(anne, "/ puis le dossier partagé", "Réponse envoyée au membre")
    await bruno.expect("/ puis le dossier partagé")


async def test_the_themes_are_paged_too(network: Network) -> None:
    faq = network.services.faq
    for number in range(10):
        theme = await faq.add_theme(f"Thème {number:02d} | Theme {number:02d}")
        await faq.add_entry(theme.id, Version(f"Question {number} ?", "Réponse."), None)
    await faq.add_theme("Sans question | No question")  # empty: not shown to members
    bruno = await network.member("Bruno")
    home = await answer(bruno, "/faq", "Questions fréquentes")
    labels = [row[0]["text"] for row in home["buttons"]]
    assert labels[:9] == [*(f"Thème {n:02d} (1)" for n in range(8)), "›"]
    await bruno.tap("›")
    second = await bruno.expect("Questions fréquentes")
    labels = [row[0]["text"] for row in second["buttons"]]
    assert labels[:3] == ["Thème 08 (1)", "Thème 09 (1)", "‹"]
