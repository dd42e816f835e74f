"""A diagnostic through Matrix: an animator launches it, a member answers by numbers and reads."""

from __future__ import annotations

from tests.matrix.gateway import MatrixNetwork

SURVEY = "Votre avis sur la session"


async def test_a_campaign_launched_answered_and_published_on_matrix(
    clocked_matrix_network: MatrixNetwork,
) -> None:
    network = clocked_matrix_network
    anne = await network.animator()
    bruno = await network.registered("Bruno")

    await anne.send("!diagnostic")
    await anne.expect("Campagnes de questionnaires")
    await anne.choose("Nouvelle campagne")
    await anne.expect("Quel questionnaire lancer ?")
    await anne.choose(f"{SURVEY} (2 questions)")
    await anne.expect("À qui s’adresse ce questionnaire ?")
    await anne.choose("Tout le réseau (2)")
    await anne.expect("Réponses anonymes ou nominatives ?")
    await anne.choose("Nominatives")
    await anne.expect("Quand le questionnaire s’ouvre-t-il ?")
    await anne.choose("Maintenant")
    await anne.expect("Quand se ferme-t-il ?")
    await anne.send("12/03/2030 17:00")
    await anne.expect("Quels rappels envoyer")
    await anne.choose("aucun rappel")
    await anne.expect("Vérifiez avant de lancer")
    await anne.choose("Lancer")
    await anne.expect("Campagne n° 1 lancée")
    await network.run_due()

    await bruno.expect(SURVEY)
    await bruno.choose("Répondre")
    await bruno.expect("Question 1/2")
    await bruno.choose("4 · Satisfait·e")
    await bruno.expect("Question 2/2")
    await bruno.send("Très utile <3")
    await bruno.expect("Merci !")

    campaign = await network.services.diagnostics.campaigns.get(1)
    await network.reach(campaign.closes_at)
    await anne.expect("est clos")
    await anne.send("!diagnostic")
    await anne.expect("Campagnes de questionnaires")
    await anne.choose("n° 1")
    await anne.expect("Participation")
    await anne.choose("Publier les résultats")
    await anne.expect("Résultats publiés")
    await network.run_due()
    await bruno.expect("sont publiés")
    await bruno.choose("Voir les résultats")
    public = await bruno.expect("résultats")
    assert "Moyenne 4,0/5 · 1 réponse(s)" in public["body"]
    assert "Très utile" not in public["body"]  # free answers stay with the animators
