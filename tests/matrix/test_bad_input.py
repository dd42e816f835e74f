"""Bad input from a Matrix member is answered clearly, mid-questionnaire."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.diagnostic.model import CampaignRequest
from bot.sandbox.files import sample_png
from schedules.diagnostic.jobs import launch_campaign
from tests.matrix.gateway import MatrixNetwork
from tests.matrix.member import MatrixMember


async def answering(network: MatrixNetwork) -> MatrixMember:
    """A registered member who opened a two-question survey and is asked question 1."""
    bruno = await network.registered("Bruno")
    now = network.services.clock.now()
    request = CampaignRequest(
        "satisfaction", now, now + timedelta(days=3), members=(bruno.user_id,)
    )
    await launch_campaign(network.runtime.application, request)
    await network.run_due()
    await bruno.expect("Votre avis sur la session")
    await bruno.choose("Répondre")
    await bruno.expect("Question 1/2")
    return bruno


async def test_bad_input_mid_questionnaire(clocked_matrix_network: MatrixNetwork) -> None:
    bruno = await answering(clocked_matrix_network)
    await bruno.send("42")
    hint = await bruno.expect("Il n’y a pas de choix n° 42 : répondez par un numéro de 1 à")
    assert hint["msgtype"] == "m.notice"
    await bruno.choose("Satisfait·e")  # the question's choices still answer
    await bruno.expect("Question 2/2")
    await bruno.send_image(sample_png())
    await bruno.expect("Merci de répondre par un message texte.")
    await bruno.send("!aide")
    await bruno.expect("Ce que je sais faire")
    sent = await bruno.send("Très utile")
    await bruno.expect("Merci !")
    await bruno.edit(sent, "Très très utile")
    edited = await bruno.expect("Je ne lis pas les messages modifiés")
    assert edited["msgtype"] == "m.notice"
    answering_service = clocked_matrix_network.services.diagnostics.answering
    response = await answering_service.response(1, bruno.user_id)
    assert response is not None and response.completed
    assert response.answers["comment"].text == "Très utile"  # the edit changed nothing
