"""Registration through /start, in both languages, over HTTP through the sandbox."""

from __future__ import annotations

import sqlite3

from bot.domain.members import Role
from bot.domain.privacy import PRIVACY_NOTICE_VERSION
from conversations.deep_links import register_deep_link
from tests.e2e.conftest import Network
from tests.e2e.test_members import choose_role

PROFILE_FR = ("Chloé Durand", "France Services de Crest", "Drôme", "Agente d'accueil")


async def register_in_french(network: Network, first_name: str = "Chloé"):
    chloe = network.newcomer(first_name, "fr")
    await chloe.send("/start")
    await chloe.expect(f"Bonjour {first_name}")
    await chloe.expect("Acceptez-vous ces conditions")
    await chloe.tap("✅ J’accepte")
    await chloe.expect("Merci, c’est noté")
    for question, answer in zip(
        (
            "Quel nom",
            "Quelle est votre organisation",
            "Sur quel territoire",
            "Quelle est votre fonction",
        ),
        PROFILE_FR,
        strict=True,
    ):
        await chloe.expect(question)
        await chloe.send(answer)
    await chloe.expect("Votre profil")
    return chloe


async def test_member_registers_in_french_with_an_edit(network: Network) -> None:
    chloe = await register_in_french(network)
    summary = chloe.last_message
    for value in PROFILE_FR:
        assert value in summary["text"]
    await chloe.tap("✏️ Organisation")
    await chloe.expect("Quelle est votre organisation")
    await chloe.send("Mairie de Crest")
    await chloe.expect("Mairie de Crest")
    await chloe.tap("✅ C’est bon")
    await chloe.expect("Bienvenue dans le réseau Réseau France Services Drôme")
    await chloe.expect("que voulez-vous faire")

    member = await network.services.members.get(chloe.user_id)
    assert member is not None and member.is_registered
    assert (member.organisation, member.language, member.role) == (
        "Mairie de Crest",
        "fr",
        Role.MEMBER,
    )
    assert member.consent_version == PRIVACY_NOTICE_VERSION
    assert member.consented_at <= network.services.clock.now()


async def test_member_registers_in_english_from_telegram_language(network: Network) -> None:
    emma = network.newcomer("Emma", "en")
    await emma.send("/start")
    await emma.expect("Hello Emma")
    await emma.expect("Do you accept these terms?")
    await emma.tap("✅ I accept")
    for question, answer in zip(
        ("What name", "What is your organisation", "Which territory", "What is your role"),
        ("Emma Stone", "Maison France Services Lyon", "Rhône", "Project manager"),
        strict=True,
    ):
        await emma.expect(question)
        await emma.send(answer)
    await emma.expect("Your profile")
    await emma.tap("✅ All good")
    await emma.expect("Welcome to the")
    assert (await network.services.members.get(emma.user_id)).language == "en"


async def test_refusing_consent_stores_only_the_refusal(network: Network) -> None:
    paul = network.newcomer("Paul")
    await paul.send("/start")
    await paul.expect("Acceptez-vous")
    await paul.tap("Je refuse")
    await paul.expect("je n’ai rien enregistré de vous")
    assert await network.services.members.get(paul.user_id) is None
    refusals = await network.services.db.fetchall(
        "SELECT user_id FROM consent_refusals WHERE user_id = ?", (paul.user_id,)
    )
    assert len(refusals) == 1
    await paul.send("Bonjour")
    await paul.expect("Tapez /start pour vous inscrire")


async def test_start_again_shows_the_menu(network: Network) -> None:
    bruno = await network.member("Bruno")
    await bruno.send("/start")
    await bruno.expect("que voulez-vous faire")
    assert "👤 Mon profil" in [label for row in bruno.buttons() for label in row]


async def test_restart_mid_onboarding_continues_where_the_member_was(network: Network) -> None:
    chloe = await network.begin_onboarding()
    await chloe.send("Chloé Durand")
    await chloe.expect("Quelle est votre organisation")

    await network.restart()

    await chloe.send("France Services de Crest")
    await chloe.expect("Sur quel territoire")
    member = await network.services.members.get(chloe.user_id)
    assert (member.display_name, member.organisation) == (
        "Chloé Durand",
        "France Services de Crest",
    )


async def test_lost_conversation_state_resumes_from_the_database(network: Network) -> None:
    chloe = await network.begin_onboarding()
    await chloe.send("Chloé Durand")
    await chloe.expect("Quelle est votre organisation")
    await network.stop()
    # A crash can lose the last second of conversation state: the facts are in the database.
    with sqlite3.connect(network.settings.db_path) as raw:
        raw.execute("DELETE FROM conversation_states")
    await network.start()
    await chloe.send("/start")
    await chloe.expect("Quelle est votre organisation")


async def test_deep_link_payloads_are_routed_or_refused(network: Network) -> None:
    received: list[str] = []

    async def invite(update, context, value, t) -> None:
        received.append(value)

    register_deep_link("e2etest", invite)
    bruno = await network.member("Bruno")
    await bruno.send("/start e2etest-AbC_123")
    await network.sandbox.wait_idle()
    assert received == ["AbC_123"]
    await bruno.expect_nothing(within=0.2)  # the feature answered; no menu on top of it
    await bruno.send("/start nosuchkind-xyz")
    await bruno.expect("Ce lien n’est pas (ou plus) valide.")


async def test_commands_are_published_in_both_languages(network: Network) -> None:
    calls = [r for r in network.sandbox.requests if r.method == "setMyCommands"]
    default = {
        r.params.get("language_code"): r.params["commands"]
        for r in calls
        if "scope" not in r.params
    }
    assert '"mes_donnees"' in default["fr"]
    assert '"my_data"' in default["en"]
    assert '"mes_donnees"' in default[None]
    assert '"lettre"' not in default["fr"]  # staff commands are not in everyone's menu


async def test_staff_get_their_own_menu_which_follows_their_role(network: Network) -> None:
    anne = await network.animator()
    bruno = await network.member("Bruno")
    await network.restart()  # menus are published at start-up for the staff on record

    def scoped(user_id: int) -> list[dict[str, str]]:
        return [
            r.params
            for r in network.sandbox.requests
            if r.method in ("setMyCommands", "deleteMyCommands")
            and f'"chat_id": {user_id}' in r.params.get("scope", "")
        ]

    assert '"lettre"' in scoped(anne.user_id)[-1]["commands"]
    assert scoped(bruno.user_id) == []
    await choose_role(anne, "Bruno", "Bruno (France Services Die) : membre", "animateur·rice")
    await anne.expect("C’est fait")
    await network.sandbox.wait_idle()
    assert '"roles"' in scoped(bruno.user_id)[-1]["commands"]
    await choose_role(anne, "Bruno", "Bruno (France Services Die) : animateur·rice", "membre")
    await anne.expect("C’est fait")
    await network.sandbox.wait_idle()
    assert "commands" not in scoped(bruno.user_id)[-1]  # deleteMyCommands: back to the default
