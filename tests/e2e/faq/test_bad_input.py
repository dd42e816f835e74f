"""FAQ bad input: clear answers in the member's language, nothing lost, refusals audited."""

from __future__ import annotations

from bot.domain.faq import QuestionStatus
from bot.domain.members import Role
from conversations.faq.buttons import EDIT, ENTRY, HOME, PICK, QUESTION, THEME
from tests.e2e.conftest import Network
from tests.e2e.faq.helpers import ROLE_REFUSED, answer, seeded_entry
from tests.e2e.hostile import message

EXPIRED = "Ce bouton a expiré."
PENDING = "Vous êtes au milieu d’une question"


async def test_bad_entries_are_explained_and_asked_again(network: Network) -> None:
    entry = await seeded_entry(network)
    anne = await network.animator()
    await answer(anne, "/faq", "Questions fréquentes")
    await anne.tap("➕ Ajouter une question")
    await anne.expect("Dans quel thème ajouter")
    await anne.tap("Le réseau")
    await anne.expect("version française")
    await answer(anne, "Une question sans réponse", "Il manque la réponse")
    await anne.send_sticker()
    await anne.expect("Merci de répondre par un message texte.")
    await answer(anne, "Question ?\n" + "x" * 3001, "C’est trop long : 3000 caractères au maximum.")
    await answer(anne, "Q" * 201 + "\nRéponse", "C’est trop long : 200 caractères au maximum.")
    # bold across the line break: the question's line would leave <b> open
    bold = message(
        anne.user_id, "Question ?\nRéponse", entities=[{"type": "bold", "offset": 0, "length": 18}]
    )
    network.sandbox.inject_update({"message": bold})
    await anne.expect("Cette mise en forme n’est pas acceptée par Telegram")
    await answer(anne, "/faq", PENDING)
    await answer(anne, "/passer", "version anglaise")
    await answer(anne, "/passer", "Une version au moins est nécessaire")
    await answer(anne, "Is it saved?\nYes, once valid.", "ajoutée à la FAQ")
    entries = await network.services.faq.entries.entries(entry.theme_id)
    assert [e.en.question if e.en else None for e in entries] == [
        "What is the network?",
        "Is it saved?",
    ]


async def test_bad_member_questions_are_explained_and_nothing_is_sent(network: Network) -> None:
    await network.animator()
    emma = await network.member("Emma", "en")
    await answer(emma, "/faq", "frequent questions")
    await emma.tap("✉️ Ask a question")
    await emma.expect("Write your question")
    await emma.send_sticker()
    await emma.expect("Please answer with a text message.")
    await answer(emma, "e" * 1001, "That is too long: 1000 characters at most.")
    await answer(emma, "/faq", "You are in the middle of a question")
    await answer(emma, "/cancel", "Cancelled")
    assert await network.services.faq.questions.waiting() == []
    await answer(emma, "/faq", "frequent questions")
    await emma.tap("🔎 Search")
    await emma.expect("Which words")
    await answer(emma, "x" * 101, "That is too long: 100 characters at most.")
    await answer(emma, "«»…", "Type at least one word")


async def test_an_animator_answer_too_long_keeps_the_question_waiting(network: Network) -> None:
    anne = await network.animator()
    bruno = await network.member("Bruno")
    question = await network.services.faq.ask(bruno.user_id, "fr", "Où est le wiki ?")
    await answer(anne, "/faq", "Questions fréquentes")
    await anne.tap("📥 Questions en attente (1)")
    await anne.expect("1 question attend une réponse")
    await anne.tap("Où est le wiki ?")
    await anne.expect("Question d’un membre")
    await anne.tap("✍️ Répondre")
    await anne.expect("Écrivez votre réponse")
    await answer(anne, "y" * 3001, "C’est trop long : 3000 caractères au maximum.")
    waiting = await network.services.faq.questions.get(question.id)
    assert waiting is not None and waiting.status is QuestionStatus.WAITING
    await answer(anne, "Sur l’intranet.", "Réponse envoyée au membre")
    await bruno.expect("Sur l’intranet.")


async def test_stale_buttons_expire_after_a_removal_or_a_reordering(network: Network) -> None:
    entry = await seeded_entry(network)
    faq = network.services.faq
    second = await faq.add_entry(entry.theme_id, None, entry.en)
    anne = await network.animator()
    await answer(anne, "/faq", "Questions fréquentes")
    await anne.tap("Le réseau (2)")
    await anne.expect("Le réseau")
    await anne.tap("What is the network? (EN)")
    shown = await anne.expect("What is the network?")
    assert await faq.move(second.id, second.position, -1)  # someone else moved it meanwhile
    await anne.tap("⬆️ Monter", message_id=shown["message_id"])
    await anne.expect(EXPIRED)
    await faq.remove(entry.id)
    await anne.tap_data(ENTRY.pack(entry=entry.id))
    await anne.expect(EXPIRED)
    await anne.tap_data(EDIT.pack(entry=entry.id, action="del", pos=entry.position))
    await anne.expect(EXPIRED)
    await anne.tap_data(EDIT.pack(entry=entry.id, action="fr", pos=entry.position))
    await anne.expect(EXPIRED)
    empty = await faq.add_theme("Vide | Empty")
    await anne.tap_data(THEME.pack(theme=empty.id, page=0))
    await anne.expect(EXPIRED)
    assert [e.id for e in await faq.entries.entries(entry.theme_id)] == [second.id]


async def test_forged_buttons_expire(network: Network) -> None:
    await seeded_entry(network)
    anne = await network.animator()
    await answer(anne, "/faq", "Questions fréquentes")
    for data in (
        "faqe:1:abc",
        "faqe:2:1",
        "faqt:1:x:0",
        "faqh:1:nothing:0",
        "faqh:1:home:-1",
        "faqx:1:1:bogus:1",
        "faqx:1:1:up:x",
        "faqp:1:pub:x:1",
        "faqp:1:add:0:x",
        "faqq:1:1:hack",
        "faqq:1:x:answer",
        "faqh:1:search:x",
        "faqh:1:ask:",
        "faqh:1:add:x",
        "faqh:1:waiting:-",
    ):
        await anne.tap_data(data)
        toast = await anne.expect(EXPIRED)
        assert toast["toast"] == EXPIRED, data
    assert await network.services.faq.entries.count() == 1


async def test_non_animators_are_refused_every_animator_action_and_audited(
    network: Network,
) -> None:
    entry = await seeded_entry(network)
    faq = network.services.faq
    anne = await network.animator()
    bruno = await network.member("Bruno")
    question = await faq.ask(anne.user_id, "fr", "Une question ?")
    await answer(bruno, "/faq", "Questions fréquentes")
    forged = {
        "faq_add": HOME.pack(item="add", page=0),
        "faq_waiting": HOME.pack(item="waiting", page=0),
        "faq_question": QUESTION.pack(question=question.id, action="show"),
        "faq_answer": QUESTION.pack(question=question.id, action="answer"),
        "faq_version": EDIT.pack(entry=entry.id, action="fr", pos=entry.position),
        "faq_edit": EDIT.pack(entry=entry.id, action="delok", pos=entry.position),
        "faq_pick": PICK.pack(purpose="pub", ref=question.id, theme=entry.theme_id),
    }
    for data in (*forged.values(), PICK.pack(purpose="add", ref=0, theme=entry.theme_id)):
        await bruno.tap_data(data)
        toast = await bruno.expect(ROLE_REFUSED)
        assert toast["show_alert"]
    for action in ("up", "down", "theme", "del"):
        await bruno.tap_data(EDIT.pack(entry=entry.id, action=action, pos=entry.position))
        await bruno.expect(ROLE_REFUSED)
    refused = [(e.action, e.allowed) for e in await network.services.audit.for_user(bruno.user_id)]
    assert [a for a, allowed in refused if not allowed] == [
        *forged,
        "faq_add",
        *["faq_edit"] * 4,
    ]
    assert await faq.entries.entry(entry.id) == entry
    assert (await faq.questions.get(question.id)).status is QuestionStatus.WAITING


async def test_an_animator_demoted_mid_answer_is_refused_and_audited(network: Network) -> None:
    await network.animator()
    alice = await network.member("Alice")
    await network.services.members.force_role(alice.user_id, Role.ANIMATOR)
    question = await network.services.faq.ask(alice.user_id, "fr", "Une question ?")
    await answer(alice, "/faq", "Questions fréquentes")
    await alice.tap_data(QUESTION.pack(question=question.id, action="answer"))
    await alice.expect("Écrivez votre réponse")
    await network.services.members.force_role(alice.user_id, Role.MEMBER)
    await answer(alice, "Ma réponse", ROLE_REFUSED)
    audited = await network.services.audit.for_user(alice.user_id)
    assert ("faq_answer", False) in [(e.action, e.allowed) for e in audited]
    assert (await network.services.faq.questions.get(question.id)).answer is None


async def test_a_theme_needs_a_name_and_a_move_needs_another_theme(network: Network) -> None:
    entry = await seeded_entry(network)
    anne = await network.animator()
    await answer(anne, "/faq", "Questions fréquentes")
    await anne.tap("Le réseau (1)")
    await anne.expect("Le réseau")
    await anne.tap("Qu’est-ce que le réseau ?")
    await anne.expect("Les 80 maisons")
    await anne.tap("🗂 Changer de thème")
    toast = await anne.expect("Il n’y a pas d’autre thème")
    assert toast["show_alert"]
    await answer(anne, "/faq", "Questions fréquentes")
    await anne.tap("➕ Ajouter une question")
    await anne.expect("Dans quel thème ajouter")
    await anne.tap("🆕 Nouveau thème")
    await anne.expect("Nom du nouveau thème")
    await answer(anne, " | Tools", "Le texte est vide.")
    await answer(anne, "T" * 61, "C’est trop long : 60 caractères au maximum.")
    await answer(anne, "/annuler", "C’est annulé")
    assert [t.id for t in await network.services.faq.entries.themes()] == [entry.theme_id]


async def test_the_first_entry_cannot_go_up_nor_the_last_down(network: Network) -> None:
    entry = await seeded_entry(network)
    anne = await network.animator()
    await answer(anne, "/faq", "Questions fréquentes")
    await anne.tap("Le réseau (1)")
    await anne.expect("Le réseau")
    await anne.tap("Qu’est-ce que le réseau ?")
    shown = await anne.expect("Les 80 maisons")
    await anne.tap("⬆️ Monter")
    await anne.expect("déjà la première de son thème")
    await anne.tap("⬇️ Descendre", message_id=shown["message_id"])
    await anne.expect("déjà la dernière de son thème")
    assert await network.services.faq.entries.entry(entry.id) == entry
