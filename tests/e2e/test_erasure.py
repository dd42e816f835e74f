"""/supprimer through the sandbox: after a vote that chose her topic, nothing of Zoé stays.

She also received the month's published figures and opted out of them.
She also proposed a project, commented a criterion and sent news to a contributor: the
project is withdrawn (its texts emptied, the news send emptied once over).

The topic's title went out in the ballot (buttons), the result and the invitation (with its
.ics); she was refused a command and promoted by an animator (audited), and published her
directory card. After the real /supprimer flow, every column of every table is scanned: no
id, no name, no text of hers; the vote counts stay, and the session is shown as « sujet retiré ».
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.clock import FrozenClock
from bot.delivery import SendStatus
from bot.sandbox import SimUser
from bot.transports import MATRIX_ID_BASE
from tests.e2e.conftest import Network
from tests.e2e.links.test_linking import ask_code
from tests.e2e.test_members import choose_role
from tests.privacy_scan import scan

PARIS = ZoneInfo("Europe/Paris")
ZOE = 7_731_004
ZOE_TCHAP = MATRIX_ID_BASE + 7_731_004
NAME = "Zoé-Quetzal-7731"
TITLE = "Sujet-Caracal-7731 & <accueil>"
DESCRIPTION = "Détail-Pangolin-7731 : les usagers « perdus »"
QUESTION = "Question-Tapir-7731 : où est la <boîte> à outils ?"
PUBLISHED = "Question-Gerboise-7731 : quand a lieu la visio ?"
SKILLS = "Compétence-Fossa-7731 : médiation & <numérique>"
TOUCHED = ("audit_log", "directory_cards", "directory_fts")
PROJECT = "Projet-Tarsier-7731 <accueil>"
PROJECT_TEXTS = (
    "Problème-Pangolin-7731",
    "Usagers-Chinchilla-7731",
    "Besoins-Marmotte-7731",
    "Commentaire-Lémurien-7731",
    "Nouvelle-Coati-7731",
)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


async def publish_card(zoe: SimUser) -> None:
    """Zoé publishes her directory card and types her skills."""
    await zoe.send("/annuaire")
    await zoe.expect("Annuaire du réseau")
    await zoe.tap("🪪 Ma fiche")
    await zoe.expect("Voulez-vous publier votre fiche ?")
    await zoe.tap("✅ Oui, publier ma fiche")
    await zoe.expect("Votre fiche, telle que les membres la voient")
    await zoe.tap("✏️ Compétences")
    await zoe.expect("caractères au plus")
    await zoe.send(SKILLS)
    await zoe.expect("🧰 Compétence-Fossa-7731")


async def test_erasure_after_a_vote_leaves_no_trace_and_keeps_the_counts(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    services = network.services
    anne = await network.animator()
    zoe = await network.member(NAME, user_id=ZOE)
    bruno = await network.member("Bruno")
    await services.visio.cycle.set_slot("FREQ=MONTHLY;BYDAY=2TU", time(14), 120)
    await services.faq.add_theme("Visio | Video sessions")

    await zoe.send("/roles")
    await zoe.expect("réservée à l’équipe d’animation")
    await choose_role(
        anne, "Quetzal", f"{NAME} (France Services Die) : membre", "facilitateur·rice"
    )
    await anne.expect("C’est fait")

    await _project(network, zoe, bruno)
    await network.reach(paris(2030, 3, 19, 14))
    await zoe.send("/proposer")
    await zoe.expect("Quel sujet proposez-vous")
    await zoe.send(TITLE)
    await zoe.expect("Ajoutez si vous le souhaitez une description")
    await zoe.send(DESCRIPTION)
    await zoe.expect("rejoint les sujets proposés")
    await network.reach(paris(2030, 3, 26, 14))
    for voter in (zoe, bruno):
        await voter.expect("Vote : visio du mardi 9 avril 2030 à 14 h 00")
        await voter.tap(f"☐ {TITLE}")
        await voter.expect("Votre bulletin : 1 sujet coché.")
    await network.reach(paris(2030, 4, 2, 14))
    result = await bruno.expect("Résultat du vote")
    assert f"Sujet retenu : « {TITLE} »" in result["text"]
    await bruno.expect("Serez-vous là ?")
    await zoe.expect("Serez-vous là ?")
    await zoe.tap("✅ J’y serai")
    await zoe.expect("C’est noté : vous serez là.")
    await anne.send("/stats")  # March's figures go out; she opts out of them
    await anne.expect("Choisissez un mois")
    await anne.tap("mars 2030")
    await anne.expect("Statistiques d’usage — mars 2030")
    await anne.tap("Publier aux membres")
    await anne.expect("Publier les chiffres de mars 2030")
    await anne.tap("✅ Publier")
    await anne.expect("Chiffres de mars 2030 publiés")
    await network.run_due()
    await zoe.expect("Le réseau en chiffres — mars 2030")
    await zoe.tap("Ne plus recevoir les chiffres du mois")
    await zoe.expect("vous ne recevrez plus les chiffres du mois")
    await ask_faq(network, zoe, anne, PUBLISHED)
    await anne.tap("✍️ Répondre")
    await anne.expect("Écrivez votre réponse")
    await anne.send("Le deuxième mardi du mois.")
    sent = await anne.expect("Réponse envoyée au membre")
    await network.run_due()  # the member's copy is a send, due now
    await zoe.expect("Le deuxième mardi du mois.")
    await anne.tap("Visio", message_id=sent["message_id"])  # the digest may come after it
    await anne.expect("Publiée dans la FAQ")
    await ask_faq(network, zoe, anne, QUESTION)  # still waiting when she is erased
    await zoe.send("/proposer")  # a conversation under way…
    await zoe.expect("Quel sujet proposez-vous")
    await zoe.send("/annuler")  # …left, then erased
    await publish_card(zoe)
    tchap = network.newcomer("Zoé (Tchap)", user_id=ZOE_TCHAP, started=True)
    await tchap.send(f"/lier {await ask_code(zoe)}")  # her Tchap account, linked
    await zoe.expect("vient d’être lié")
    await zoe.send("/supprimer")
    await zoe.expect("Voulez-vous vraiment effacer")
    needles = [NAME, TITLE, DESCRIPTION, QUESTION, SKILLS, PROJECT, *PROJECT_TEXTS]
    before = await scan(services.db, ZOE, needles)
    assert {h.table for h in before} >= {
        *("members", "visio_topics", "sends", "faq_questions", *TOUCHED)
    }
    assert {h.table for h in before} >= {"projects", "project_answers", "project_notes"}
    assert {h.table for h in before} >= {"member_links"}

    await zoe.tap("Oui, tout effacer")
    await zoe.expect("Vos données personnelles ont été effacées.")
    await bruno.expect_document()  # the invitation's .ics: the last part of the last send
    for _ in range(100):  # a send still going out is emptied once it is over
        kinds = ["visio_result", "faq_question"]
        if not await services.deliveries.sends(kinds, [SendStatus.SENDING]):
            break
        await asyncio.sleep(0.1)

    hits = await scan(services.db, ZOE, needles)
    assert not hits, "traces left:\n" + "\n".join(map(str, hits))
    assert not await scan(services.db, ZOE_TCHAP, [])
    assert services.addressing.member_of(ZOE_TCHAP) == ZOE_TCHAP
    await bruno.send("/annuaire fossa")
    await bruno.expect("Aucune fiche ne correspond à « fossa »")
    [session] = [s for s in await services.visio.cycle.upcoming() if s.topic_id is not None]
    assert session.voters == 2
    ballot = await services.db.fetchone(
        "SELECT votes FROM visio_ballot WHERE topic_id = ?", (session.topic_id,)
    )
    assert ballot["votes"] == 2
    assert (await services.visio.attendance.summary(session.id)).yes == 1
    [digest] = await services.stats.published()  # the published figures stay
    assert digest.figures is not None and not digest.figures.empty
    await bruno.send("/visio")
    menu = await bruno.expect("Prochaine visio")
    assert "Sujet : « sujet retiré »" in menu["text"]
    [published] = await services.faq.search("gerboise")  # the FAQ keeps it, unlinked
    assert published.fr is not None and published.fr.question == PUBLISHED
    assert await services.faq.questions.waiting() == []
    await bruno.send("/projets")
    projects = await bruno.expect("Projets stratégiques")
    assert "Vos projets" not in projects["text"]  # her project is withdrawn, his place gone


async def ask_faq(network: Network, member: SimUser, animator: SimUser, question: str) -> None:
    """The member asks the animators a question through /faq; the animator gets it."""
    await member.send("/faq")
    await member.expect("Questions fréquentes")
    await member.tap("✉️ Poser une question")
    await member.expect("Écrivez votre question")
    await member.send(question)
    await member.expect("a été transmise")
    await network.run_due()  # the notice to the animators is a send, due now
    notice = await animator.expect("Question d’un membre")
    assert question in notice["text"]


async def _project(network: Network, zoe: SimUser, bruno: SimUser) -> None:
    """Zoé proposes a project, comments a criterion; Bruno joins and receives her news."""
    problem, audience, needs, comment, note = PROJECT_TEXTS
    await zoe.send("/projets")
    await zoe.expect("Projets stratégiques")
    await zoe.tap("💡 Proposer un projet")
    await zoe.expect("Quel est le titre")
    for text, question in (
        (PROJECT, "Quel problème"),
        (problem, "Pour qui ?"),
        (audience, "De quoi avez-vous besoin"),
        (needs, "est proposé"),
    ):
        await zoe.send(text)
        await zoe.expect(question)
    await zoe.tap("✅ Critères de l’étape")
    await zoe.expect("Étape 1/5")
    await zoe.tap("2. ✅")
    await zoe.expect("C’est noté pour le critère 2")
    await zoe.send(comment)
    await zoe.expect("Commentaire enregistré")
    [project] = await network.services.projects.mine(ZOE)
    await network.services.projects.team.join(bruno.user_id, project.id)
    await zoe.tap("⬅️ Retour")
    await zoe.expect("Porté par")
    await zoe.tap("📝 Nouvelle")
    await zoe.expect("Quelle nouvelle")
    await zoe.send(note)
    await zoe.expect("envoyée à 1 personne")
    await network.run_due()
    await bruno.expect(note)
