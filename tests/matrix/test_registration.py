"""A Matrix member registers with consent, end to end: real Synapse, real bot, gateway."""

from __future__ import annotations

from bot.domain.privacy import PRIVACY_NOTICE_VERSION
from tests.conftest import register
from tests.matrix.gateway import MatrixNetwork

PROFILE = ("Chloé Durand", "France Services de Crest", "Drôme", "Agente d'accueil")
QUESTIONS = (
    "Quel nom",
    "Quelle est votre organisation",
    "Sur quel territoire",
    "Quelle est votre fonction",
)


async def test_a_matrix_member_registers_with_consent(matrix_network: MatrixNetwork) -> None:
    chloe = await matrix_network.member("Chloé")
    await chloe.send("/start")
    await chloe.expect("Bonjour Chloé")
    notice = await chloe.expect("Acceptez-vous ces conditions")
    assert notice["format"] == "org.matrix.custom.html"
    assert "<ol>" in notice["formatted_body"]
    await chloe.choose("J’accepte")
    await chloe.expect("Merci, c’est noté")
    for question, answer in zip(QUESTIONS, PROFILE, strict=True):
        await chloe.expect(question)
        await chloe.send(answer)
    summary = await chloe.expect("Votre profil")
    for value in PROFILE:
        assert value in summary["body"]
    await chloe.choose("C’est bon")
    await chloe.expect("Bienvenue dans le réseau")

    member = await matrix_network.services.members.get(chloe.user_id)
    assert member is not None and member.is_registered
    assert (member.organisation, member.language) == (PROFILE[1], "fr")
    assert member.consent_version == PRIVACY_NOTICE_VERSION


async def test_bang_commands_work_like_slash_commands(matrix_network: MatrixNetwork) -> None:
    """Element asks before sending an unknown ``/command``: ``!start`` is the Tchap idiom."""
    paul = await matrix_network.member("Paul")
    await paul.send("!start")
    await paul.expect("Acceptez-vous ces conditions")


async def test_refusing_consent_registers_nothing(matrix_network: MatrixNetwork) -> None:
    lea = await matrix_network.member("Léa")
    await lea.send("/start")
    await lea.expect("Acceptez-vous ces conditions")
    await lea.choose("Je refuse")
    await lea.expect("je n’ai rien enregistré de vous")
    member = await matrix_network.services.members.get(lea.user_id)
    assert member is None or not member.is_registered


async def test_html_in_a_display_name_is_shown_as_text(matrix_network: MatrixNetwork) -> None:
    mallory = await matrix_network.member("<b>Mallory</b>")
    await mallory.send("/start")
    greeting = await mallory.expect("Mallory")
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in greeting["formatted_body"]
    assert "<b>Mallory</b>" in greeting["body"]


async def test_an_unknown_command_is_answered(matrix_network: MatrixNetwork) -> None:
    zoe = await matrix_network.member("Zoé")
    await zoe.send("!inconnue")
    answer = await zoe.expect("Je ne connais pas cette commande")
    assert "Tapez !aide" in answer["body"] and "/aide" not in answer["formatted_body"]


async def test_a_number_out_of_the_choices_is_answered_by_the_gateway(
    matrix_network: MatrixNetwork,
) -> None:
    noe = await matrix_network.member("Noé")
    await noe.send("/start")
    await noe.expect("Acceptez-vous ces conditions")
    await noe.send("7")
    await noe.expect("Il n’y a pas de choix n° 7 : répondez par un numéro de 1 à 2.")
    member = await matrix_network.services.members.get(noe.user_id)
    assert member is None or member.consent_version is None


async def test_the_gateway_speaks_the_language_chosen_in_the_bot(
    matrix_network: MatrixNetwork,
) -> None:
    emma = await matrix_network.member("Emma")
    await register(matrix_network.services, emma.user_id, "Emma", language="en")
    await emma.send("!menu")
    await emma.expect("what would you like to do?")
    await emma.send("42")
    await emma.expect("There is no choice 42: reply with a number from 1 to")
