"""Bad input gets a clear answer in the member's language and loses nothing."""

from __future__ import annotations

from tests.e2e.conftest import Network
from tests.e2e.test_members import choose_role


async def test_over_long_name_gets_the_limit_and_the_question_again(network: Network) -> None:
    chloe = await network.begin_onboarding()
    await chloe.send("x" * 101)
    await chloe.expect("C’est trop long : 100 caractères au maximum.")
    await chloe.expect("Quel nom")
    assert (await network.services.members.get(chloe.user_id)).display_name is None
    await chloe.send("Chloé")
    await chloe.expect("Quelle est votre organisation")


async def test_over_long_organisation_in_english(network: Network) -> None:
    emma = await network.begin_onboarding("Emma", "en")
    await emma.send("Emma")
    await emma.expect("What is your organisation")
    await emma.send("o" * 150)
    await emma.expect("That is too long: 100 characters at most.")
    await emma.expect("What is your organisation")


async def test_sticker_photo_or_voice_where_text_expected_is_asked_again(network: Network) -> None:
    chloe = await network.begin_onboarding()
    for send in (chloe.send_sticker, chloe.send_photo, chloe.send_voice):
        await send()
        await chloe.expect("Merci de répondre par un message texte.")
        await chloe.expect("Quel nom")
    assert (await network.services.members.get(chloe.user_id)).display_name is None


async def test_commands_mid_conversation(network: Network) -> None:
    chloe = await network.begin_onboarding()
    await chloe.send("/aide")
    await chloe.expect("Vous êtes au milieu d’une question")
    await chloe.send("Chloé")
    await chloe.expect("Quelle est votre organisation")
    await chloe.send("/annuler")
    await chloe.expect("C’est annulé")
    await chloe.send("/annuler")
    await chloe.expect("Il n’y a rien à annuler.")
    await chloe.send("/start")
    await chloe.expect("Quelle est votre organisation")


async def test_forged_and_stale_buttons_expire_and_change_nothing(network: Network) -> None:
    chloe = network.newcomer("Chloé")
    await chloe.send("/start")
    await chloe.expect("Acceptez-vous")
    consent_message = chloe.last_message["message_id"]
    await chloe.tap_data("consent:1:yes:extra")
    await chloe.expect("Ce bouton a expiré.")
    await chloe.tap_data(f"role_set:1:{chloe.user_id}:animator")
    await chloe.expect("Vous n’êtes pas encore inscrit·e.")  # nothing privileged runs
    assert await network.services.members.get(chloe.user_id) is None
    await chloe.tap("Je refuse")
    await chloe.expect("je n’ai rien enregistré")
    await chloe.tap("✅ J’accepte", message_id=consent_message)
    await chloe.expect("Ce bouton a expiré.")
    assert await network.services.members.get(chloe.user_id) is None


async def test_html_in_a_name_is_shown_literally(network: Network) -> None:
    chloe = await network.begin_onboarding()
    for answer in ("<b>x</b> & co", "<i>Mairie</i>", "Drôme & <Ardèche>", "a < b"):
        await chloe.send(answer)
    summary = await chloe.expect("Votre profil")
    assert "Nom : <b>x</b> & co" in summary["text"]
    assert "Territoire : Drôme & <Ardèche>" in summary["text"]
    member = await network.services.members.get(chloe.user_id)
    assert member.display_name == "<b>x</b> & co"


async def test_member_who_blocked_the_bot_is_marked_unreachable(network: Network) -> None:
    anne = await network.animator()
    bruno = await network.member("Bruno")
    bruno.block()
    await network.sandbox.wait_idle()
    assert (await network.services.members.get(bruno.user_id)).unreachable_at is not None
    bruno.unblock()
    await network.sandbox.wait_idle()
    assert (await network.services.members.get(bruno.user_id)).unreachable_at is None
    # A send that hits the block (role change notice) is absorbed: no crash, member marked.
    bruno.block()
    await choose_role(anne, "Bruno", "Bruno (France Services Die) : membre", "facilitateur·rice")
    await anne.expect("C’est fait")
    await network.sandbox.wait_idle()
    member = await network.services.members.get(bruno.user_id)
    assert member.unreachable_at is not None and member.role == "facilitator"
    # The refusal concerned Bruno's chat: the animator who acted stays reachable.
    assert (await network.services.members.get(anne.user_id)).unreachable_at is None
    await anne.send("/aide")
    await anne.expect("Ce que je sais faire")


async def test_group_chats_the_bot_joins_and_leaves_are_recorded(network: Network) -> None:
    anne = await network.animator()
    group = network.sandbox.add_group("Réseau France Services Drôme", members=[anne])
    await network.sandbox.wait_idle()
    recorded = await network.services.group_chats.get(group.chat_id)
    assert recorded is not None and recorded.active
    assert recorded.title == "Réseau France Services Drôme"
    assert [g.chat_id for g in await network.services.group_chats.active()] == [group.chat_id]
