"""Diagnostic questionnaires end to end: launch, invitation, answering, reminders, closing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.diagnostic.model import Answer, CampaignStatus, ReminderPlan
from bot.sandbox import SimUser
from bot.seed import Profile, seed_member
from tests.e2e.conftest import Network
from tests.e2e.diagnostic.steps import open_campaign

DIAGNOSIS = "Diagnostic du fonctionnement du réseau"


async def answer_rest(member: SimUser, total: int) -> None:
    """Answer every remaining question with the first option (a text for free questions)."""
    while True:
        message = member.last_message
        assert message is not None
        if "Merci !" in message["text"]:
            return
        assert f"/{total}" in message["text"]
        labels = [label for row in member.buttons() for label in row]
        if "✅ Valider" in labels:
            await member.tap(labels[0])
            await member.expect("Question")
            await member.tap("✅ Valider")
        elif "Écrivez votre réponse" in message["text"]:
            await member.send("Plus de rencontres en présentiel, s’il vous plaît.")
        else:
            await member.tap(labels[0])
        await member.expect("")


async def test_an_animator_launches_and_members_answer_back_skip_resume_and_change(
    clocked_network: Network,
) -> None:
    network = clocked_network
    anne = await network.animator()
    bruno = await network.member("Bruno")
    await network.member("Chloé", "en")

    await anne.send("/diagnostic")
    await anne.expect("Campagnes de questionnaires")
    await anne.tap("➕ Nouvelle campagne")
    await anne.expect("Quel questionnaire lancer ?")
    await anne.tap(f"{DIAGNOSIS} (21 questions)")
    await anne.expect("À qui s’adresse ce questionnaire ?")
    await anne.tap("Tout le réseau (3)")
    await anne.expect("Réponses anonymes ou nominatives ?")
    await anne.tap("👤 Nominatives")
    await anne.expect("Quand le questionnaire s’ouvre-t-il ?")
    await anne.tap("▶️ Maintenant")
    await anne.expect("Quand se ferme-t-il ?")
    await anne.send("le 12 du mois prochain")
    await anne.expect("Je n’ai pas compris cette date.")
    await anne.send("1/3/2030 17:00")
    await anne.expect("Le vendredi 1 mars 2030 à 17 h 00 est déjà passé.")
    await anne.send("12/03/2030 17:00")
    await anne.expect("Quels rappels envoyer")
    await anne.tap("3 jours avant la clôture et le dernier matin")
    summary = await anne.expect("Vérifiez avant de lancer")
    assert "Public : tout le réseau (3 membres aujourd’hui)" in summary["text"]
    assert "Clôture : mardi 12 mars 2030 à 17 h 00" in summary["text"]
    await anne.tap("🚀 Lancer")
    await anne.expect("Campagne n° 1 lancée : les invitations partent maintenant.")
    await network.run_due()

    invitation = await bruno.expect(DIAGNOSIS)
    assert "21 questions, à remplir avant le mardi 12 mars 2030 à 17 h 00" in invitation["text"]
    assert "nominatives" in invitation["text"]
    await bruno.tap("✍️ Répondre")
    await bruno.expect("Question 1/21")
    await bruno.tap("4 · Plutôt d’accord")
    await bruno.expect("Question 2/21")
    await bruno.tap("Passer ▶️")
    await bruno.expect("Question 3/21")
    await bruno.tap("◀️ Précédente")
    await bruno.expect("Question 2/21")
    await bruno.tap("🤷 Je ne sais pas")
    await bruno.expect("Question 3/21")
    await bruno.tap("⏸ Finir plus tard")
    await bruno.expect("vos réponses sont enregistrées")

    await network.restart()
    await bruno.send("/diagnostic")
    await bruno.expect("À vous de répondre")
    await bruno.tap(f"▶️ Reprendre : {DIAGNOSIS} (3/21)")
    await bruno.expect("Question 3/21")
    await answer_rest(bruno, 21)
    summary = bruno.last_message
    assert (
        "1. La raison d’être du réseau (à quoi il sert, et pour qui) es… → 4 · Plutôt"
        in (summary["text"])
    )
    assert (
        "2. Les missions du réseau sont connues et partagées par ses me… → Je ne sais pas"
        in (summary["text"])
    )

    await bruno.tap("✏️ 1")
    question = await bruno.expect("Question 1/21")
    assert "Votre réponse : 4 · Plutôt d’accord" in question["text"]
    await bruno.tap("2 · Plutôt pas d’accord")
    changed = await bruno.expect("Merci !")
    assert "→ 2 · Plutôt pas d’accord" in changed["text"]
    response = await network.services.diagnostics.answering.response(1, bruno.user_id)
    assert response is not None and response.completed
    assert response.answers["purpose_clear"] == Answer(("2",))
    assert response.answers["missions_shared"] == Answer(dont_know=True)
    assert len(response.answers) == 21


async def test_reminders_reach_only_those_who_have_not_finished_and_closing_is_automatic(
    clocked_network: Network,
) -> None:
    network, clock = clocked_network, clocked_network.clock
    anne = await network.animator()
    bruno, chloe, dan = [await network.member(name) for name in ("Bruno", "Chloé", "Dan")]
    campaign = await open_campaign(
        network,
        "satisfaction",
        (bruno, chloe, dan),
        5,
        anonymous=False,
        reminders=ReminderPlan.THREE_DAYS_AND_MORNING,
        created_by=anne.user_id,
    )
    for member in (bruno, chloe, dan):
        await member.expect("Votre avis sur la session")
    await bruno.tap("✍️ Répondre")
    await bruno.expect("Question 1/2")
    await bruno.tap("5 · Très satisfait·e")
    await bruno.expect("Écrivez votre réponse")
    await bruno.send("Très utile.")
    await bruno.expect("Merci !")
    await chloe.tap("✍️ Répondre")
    await chloe.expect("Question 1/2")
    old_question = chloe.last_message["message_id"]
    await chloe.tap("3 · Moyennement satisfait·e")
    await chloe.expect("Question 2/2")

    reminders = await network.services.diagnostics.campaigns.reminders(campaign.id)
    await network.reach(reminders[0][0])
    await chloe.expect("Rappel : le questionnaire")
    await dan.expect("Rappel : le questionnaire")
    await bruno.expect_nothing()

    await anne.send("/diagnostic")
    await anne.expect("1 sur 3 ont terminé")
    await anne.tap("📋 n° 1 · Votre avis sur la session")
    card = await anne.expect("Participation : 1 sur 3 ont terminé (33")
    assert "2 n’ont pas terminé, dont 1 en cours" in card["text"]
    await anne.tap("👥 Qui n’a pas terminé ?")
    names = await anne.expect("N’ont pas terminé")
    assert "Chloé" in names["text"] and "Dan" in names["text"] and "Bruno" not in names["text"]
    await anne.tap("🔔 Relancer ceux qui n’ont pas terminé (2)")
    await anne.expect("Relancer 2 membres qui n’ont pas terminé")
    await anne.tap("🔔 Oui, relancer")
    await anne.expect("Relance en route vers 2 membres.")
    await network.run_due()
    await chloe.expect("Rappel")
    await dan.expect("Rappel")
    await bruno.expect_nothing()

    await network.stop()  # down through the last reminder and the deadline
    clock.set(campaign.closes_at + timedelta(hours=2))
    await network.start()
    await network.reach(clock.now())
    await anne.expect("est clos : 1 sur 3 ont terminé")
    closed = await network.services.diagnostics.campaigns.get(campaign.id)
    assert closed.status is CampaignStatus.CLOSED
    assert [done for _, done in await network.services.diagnostics.campaigns.reminders(1)] == [
        True,
        True,
    ]
    await chloe.expect_nothing()  # the missed morning reminder was not sent after the deadline
    await chloe.tap("◀️ Précédente", message_id=old_question)
    await chloe.expect("Ce questionnaire est clos depuis le")
    await chloe.tap("1 · Pas du tout satisfait·e", message_id=old_question)
    await chloe.expect("clos")
    response = await network.services.diagnostics.answering.response(campaign.id, chloe.user_id)
    assert response.answers == {"overall": Answer(("3",))}


async def test_a_campaign_for_one_territory_invites_only_its_members(
    clocked_network: Network,
) -> None:
    network = clocked_network
    anne = await network.animator()
    drome = await network.member("Bruno")
    ardeche = network.newcomer("Zoé", started=True)
    profile = Profile("Zoé Vernet", "Mairie de Privas", "Ardèche", "Secrétaire de mairie")
    await seed_member(network.services, ardeche.user_id, profile)

    await anne.send("/diagnostic")
    await anne.expect("Campagnes de questionnaires")
    await anne.tap("➕ Nouvelle campagne")
    await anne.expect("Quel questionnaire")
    await anne.tap("Votre avis sur la session (2 questions)")
    await anne.expect("À qui s’adresse")
    await anne.tap("Un rôle")
    roles = await anne.expect("Lequel ?")
    assert anne.buttons(roles["message_id"]) == [
        ["animateur·rice (1)"],
        ["membre (2)"],
        ["◀️ Retour"],
    ]
    await anne.tap("◀️ Retour")
    await anne.expect("À qui s’adresse")
    await anne.tap("Un territoire")
    await anne.expect("Lequel ?")
    await anne.tap("Ardèche (1)")
    await anne.expect("anonymes ou nominatives")
    await anne.tap("🕶 Anonymes")
    await anne.expect("s’ouvre-t-il")
    await anne.send("06/03/2030 9h")
    await anne.expect("Ouverture : le mercredi 6 mars 2030 à 9 h 00.")
    await anne.send("05/03/2030 8:00")
    await anne.expect("Le mardi 5 mars 2030 à 8 h 00 est déjà passé.")
    await anne.send("06/03/2030 8:00")
    await anne.expect("La clôture doit venir après l’ouverture (mercredi 6 mars 2030 à 9 h 00).")
    await anne.send("8 mars 2030 à 18 h")
    await anne.expect("Quels rappels")
    await anne.tap("la veille de la clôture")
    summary = await anne.expect("Vérifiez avant de lancer")
    assert "Public : territoire : Ardèche (1 membre aujourd’hui)" in summary["text"]
    await anne.tap("🚀 Lancer")
    await anne.expect("Campagne n° 1 programmée : elle ouvrira le mercredi 6 mars 2030 à 9 h 00.")
    await network.run_due()
    await ardeche.expect_nothing()

    await network.reach(datetime(2030, 3, 6, 8, 0, tzinfo=UTC))  # 9:00 in Paris
    await ardeche.expect("Votre avis sur la session")
    await drome.expect_nothing()
    assert (await network.services.diagnostics.campaigns.get(1)).status is CampaignStatus.OPEN
