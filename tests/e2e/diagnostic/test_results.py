"""Results end to end: threshold at k-1 and k, chart, two waves compared, CSV, anonymity."""

from __future__ import annotations

import csv
import io

import matplotlib.image

from bot.domain.diagnostic.answering import Move
from bot.domain.diagnostic.model import Campaign
from bot.domain.diagnostic.questionnaire import QuestionKind
from bot.sandbox import SimUser
from bot.services import Services
from tests.e2e.conftest import Network
from tests.e2e.diagnostic.steps import open_campaign

NAMES = (
    "Bruno Artaud",
    "Chloé Benoît",
    "Dan Caradec",
    "Elsa Dufresne",
    "Farid Ebrard",
    "Gaëlle Fournel",
)
CARD = "📋 n° {id} · Diagnostic du fonctionnement du réseau"


async def answer_everything(services: Services, campaign: Campaign, user_id: int, score: int):
    """A member answers every question through the service: Likert ``score``, first options."""
    answering = services.diagnostics.answering
    await answering.begin(campaign.id, user_id)
    for position, question in enumerate(campaign.questionnaire.questions):
        if question.kind is QuestionKind.LIKERT:
            await answering.choose(campaign.id, user_id, position, score - 1)
        elif question.kind is QuestionKind.SINGLE:
            await answering.choose(campaign.id, user_id, position, 0)
        elif question.kind is QuestionKind.MULTIPLE:
            await answering.toggle(campaign.id, user_id, position, 0)
            await answering.move(campaign.id, user_id, position, Move.CONFIRM)
        else:
            await answering.write(user_id, "Plus d’échanges de pratiques entre maisons.")


def parse_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


async def open_card(anne: SimUser, campaign_id: int) -> None:
    await anne.send("/diagnostic")
    await anne.expect("Campagnes de questionnaires")
    await anne.tap(CARD.format(id=campaign_id))
    await anne.expect("Participation")


async def test_threshold_chart_exports_publication_and_a_second_wave(
    clocked_network: Network,
) -> None:
    network = clocked_network
    services = network.services
    anne = await network.animator()
    members = [await network.member(name) for name in NAMES]
    first = await open_campaign(
        network, "network_diagnosis", members, 7, anonymous=True, created_by=anne.user_id
    )
    for member in members[:4]:
        await answer_everything(services, first, member.user_id, 2)

    await open_card(anne, first.id)
    await anne.tap("📊 Résultats")
    below = await anne.expect("Les résultats s’affichent à partir de 5 répondant·e·s")
    assert "4 pour l’instant, encore 1 nécessaire(s)" in below["text"]
    await anne.tap("📄 Export tableur")
    await anne.expect("Export anonyme indisponible sous 5 répondant·e·s : encore 1 nécessaire(s).")
    await anne.tap("📈 Graphique")
    await anne.expect("Pas de graphique")

    farid = members[4]  # the k-th answers one question through the bot
    await farid.expect("Diagnostic du fonctionnement du réseau")
    await farid.tap("✍️ Répondre")
    await farid.expect("Question 1/21")
    await farid.tap("3 · Ni d’accord ni pas d’accord")
    await farid.expect("Question 2/21")
    await farid.tap("⏸ Finir plus tard")
    await farid.expect("vos réponses sont enregistrées")

    await anne.tap("📊 Résultats")
    results = await anne.expect("5 répondant·e(s), 4 questionnaire(s) complet(s).")
    text = results["text"]
    assert "Raison d’être et missions · score 2,2/5" in text
    assert "Moyenne 2,2/5 · 5 réponse(s) · 1 : 0 · 2 : 4 · 3 : 1 · 4 : 0 · 5 : 0" in text
    assert "Pas assez de réponses (4) : encore 1 nécessaire(s)." in text
    await anne.tap("📈 Graphique")
    photo = await anne.expect_photo()
    assert photo.caption.startswith("📈 Diagnostic du fonctionnement du réseau")
    image = matplotlib.image.imread(io.BytesIO(photo.data), format="png")
    assert image.shape[1] >= 600
    await anne.tap("📄 Export tableur")
    responses = await anne.expect_document()
    summary = await anne.expect_document()
    assert responses.filename == f"network_diagnosis_{first.id}_reponses.csv"
    rows = parse_csv(responses.data)
    assert rows[0][0] == "Répondant·e" and len(rows) == 6 and len(rows[0]) == 22
    assert sorted(row[1] for row in rows[1:]) == ["2", "2", "2", "2", "3"]
    table = parse_csv(summary.data)
    assert table[0][:5] == ["Thème", "N°", "Question", "Réponses", "Moyenne (1 à 5)"]
    assert table[1][:2] == ["Raison d’être et missions", "1"] and table[1][4] == "2,2"
    shown = text + responses.data.decode("utf-8-sig") + summary.data.decode("utf-8-sig")
    for name in NAMES:
        assert name not in shown, "no name in anonymous results or exports"
    assert anne.buttons()[0] != ["👥 Qui n’a pas terminé ?"]

    await network.reach(first.closes_at)
    await anne.expect("est clos : 4 sur 6 ont terminé")
    await open_card(anne, first.id)
    await anne.tap("📣 Publier les résultats")
    await anne.expect("Résultats publiés : 5 participant·e·s prévenu·e·s.")
    await network.run_due()
    await farid.expect("sont publiés")
    await farid.tap("📊 Voir les résultats")
    public = await farid.expect("résultats")
    assert "Moyenne 2,2/5" in public["text"]
    assert "Plus d’échanges" not in public["text"]
    gaelle = members[5]
    await gaelle.send("/diagnostic")
    await gaelle.expect("Aucun questionnaire ne vous attend")
    await gaelle.tap_data(f"dq_pub:1:{first.id}")
    await gaelle.expect("Ces résultats sont réservés aux membres qui ont répondu.")

    await anne.send("/diagnostic")
    await anne.expect("Campagnes de questionnaires")
    await anne.tap("➕ Nouvelle campagne")
    await anne.expect("Quel questionnaire")
    await anne.tap("Diagnostic du fonctionnement du réseau (21 questions)")
    await anne.expect("nouvelle vague d’une campagne précédente")
    await anne.tap(f"Nouvelle vague de n° {first.id}")
    await anne.expect("À qui s’adresse")
    await anne.tap("Tout le réseau (7)")
    await anne.expect("anonymes ou nominatives")
    await anne.tap("🕶 Anonymes")
    await anne.expect("s’ouvre-t-il")
    await anne.send("maintenant")
    await anne.expect("Ouverture : dès le lancement.")
    await anne.send("30/03/2030 12:00")
    await anne.expect("Quels rappels")
    await anne.tap("aucun rappel")
    check = await anne.expect("Vérifiez avant de lancer")
    assert "Questionnaire : Diagnostic du fonctionnement du réseau (vague 2)" in check["text"]
    await anne.tap("🚀 Lancer")
    launched = await anne.expect("lancée")
    second_id = int(launched["text"].split("n° ")[1].split(" ")[0])
    await network.run_due()
    second = await services.diagnostics.campaigns.get(second_id)
    assert (second.wave, second.previous_id) == (2, first.id)
    for member in members[:5]:
        await answer_everything(services, second, member.user_id, 4)

    await open_card(anne, second.id)
    await anne.tap("📊 Résultats")
    compared = await anne.expect("Comparaison avec la campagne n° 1 (vague 1)")
    assert (
        "Raison d’être et missions · score 4,0/5 (vague précédente : 2,2 ; +1,8)"
        in (compared["text"])
    )
    await anne.tap("📈 Graphique")
    both = await anne.expect_photo()
    image = matplotlib.image.imread(io.BytesIO(both.data), format="png")
    assert image.shape[0] > 300
