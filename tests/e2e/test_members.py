"""Roles, privacy rights, language, menu and help, through the sandbox."""

from __future__ import annotations

import json
import re

from bot.domain.members import Role
from bot.sandbox import SimUser
from tests.e2e.conftest import Network


async def choose_role(anne: SimUser, search: str, member_label: str, role_label: str) -> None:
    """The animator's three steps: search, pick the member, pick the role."""
    await anne.send(f"/roles {search}")
    await anne.expect("Quel membre ?")
    await anne.tap(member_label)
    await anne.expect("Quel rôle pour")
    await anne.tap(role_label)


async def test_non_animator_is_refused_roles_and_audited(network: Network) -> None:
    bruno = await network.member("Bruno")
    await bruno.send("/roles")
    await bruno.expect("réservée à l’équipe d’animation")
    entries = await network.services.audit.for_user(bruno.user_id)
    assert [(e.action, e.allowed) for e in entries] == [("roles", False)]


async def test_animator_promotes_a_member_who_is_told(network: Network) -> None:
    anne = await network.animator()
    bruno = await network.member("Bruno")
    await anne.send("/roles")
    staff = await anne.expect("L’équipe du réseau")
    assert "Anne (France Services Die) : animateur·rice" in staff["text"]
    await choose_role(anne, "brun", "Bruno (France Services Die) : membre", "facilitateur·rice")
    await anne.expect("C’est fait : nouveau rôle « facilitateur·rice ».")
    await bruno.expect("Votre rôle dans le réseau est désormais : facilitateur·rice.")
    assert (await network.services.members.get(bruno.user_id)).role is Role.FACILITATOR


async def test_forged_role_button_from_a_member_is_refused_and_audited(network: Network) -> None:
    await network.animator()
    bruno = await network.member("Bruno")
    await bruno.send("/menu")
    await bruno.expect("que voulez-vous faire")
    await bruno.tap_data(f"role_set:1:{bruno.user_id}:animator")
    await bruno.expect("réservée à l’équipe d’animation")
    assert (await network.services.members.get(bruno.user_id)).role is Role.MEMBER
    entries = await network.services.audit.for_user(bruno.user_id)
    assert ("roles_set", False) in [(e.action, e.allowed) for e in entries]


async def test_last_animator_cannot_demote_themself(network: Network) -> None:
    anne = await network.animator()
    await choose_role(anne, "Anne", "Anne (France Services Die) : animateur·rice", "membre")
    await anne.expect("le réseau doit garder au moins un·e animateur·rice")
    assert (await network.services.members.get(anne.user_id)).role is Role.ANIMATOR


async def test_my_data_sends_a_json_file_of_everything(network: Network) -> None:
    bruno = await network.member("Bruno")
    await bruno.send("/mes_donnees")
    document = await bruno.expect_document()
    assert document.filename == "mes_donnees.json"
    data = json.loads(document.data)
    assert data["member"]["profile"]["display_name"] == "Bruno"
    assert data["member"]["profile"]["user_id"] == bruno.user_id
    assert "notice_version" in data


async def test_erasure_asks_first_then_removes_personal_data(network: Network) -> None:
    bruno = await network.member("Bruno")
    await bruno.send("/supprimer")
    await bruno.expect("Voulez-vous vraiment effacer")
    await bruno.tap("Non, garder")
    await bruno.expect("Rien n’a été effacé.")
    assert await network.services.members.get(bruno.user_id) is not None
    await bruno.send("/supprimer")
    await bruno.expect("Voulez-vous vraiment effacer")
    await bruno.tap("Oui, tout effacer")
    await bruno.expect("Vos données personnelles ont été effacées.")
    assert await network.services.members.get(bruno.user_id) is None
    await bruno.send("/profil")
    await bruno.expect("Vous n’êtes pas encore inscrit·e.")


async def test_stop_unsubscribes_and_the_button_resubscribes(network: Network) -> None:
    bruno = await network.member("Bruno")
    await bruno.send("/stop")
    await bruno.expect("Vous ne recevrez plus de lettres ni de rappels.")
    assert not (await network.services.members.get(bruno.user_id)).subscribed
    await bruno.tap("🔔 Me réabonner")
    await bruno.expect("Vous recevez de nouveau")
    assert (await network.services.members.get(bruno.user_id)).subscribed


async def test_language_switch_changes_every_later_message(network: Network) -> None:
    bruno = await network.member("Bruno")
    await bruno.send("/langue")
    await bruno.expect("Dans quelle langue")
    await bruno.tap("English")
    await bruno.expect("I will now write to you in English.")
    await bruno.send("/menu")
    await bruno.expect("what would you like to do?")


async def test_profile_edit_from_profile_command(network: Network) -> None:
    bruno = await network.member("Bruno")
    await bruno.send("/profil")
    await bruno.expect("Votre profil")
    await bruno.tap("✏️ Territoire")
    await bruno.expect("Sur quel territoire")
    await bruno.send("Ardèche")
    updated = await bruno.expect("Territoire : Ardèche")
    assert "Nom : Bruno" in updated["text"]
    assert (await network.services.members.get(bruno.user_id)).territory == "Ardèche"


async def test_menu_help_unknown_command_and_free_text(network: Network) -> None:
    anne = await network.animator()
    await anne.send("/menu")
    await anne.expect("que voulez-vous faire")
    await anne.tap("❓ Aide")
    help_text = await anne.expect("Ce que je sais faire")
    assert "Pour l’équipe d’animation" in help_text["text"]
    await anne.send("/nimportequoi")
    await anne.expect("Je ne connais pas cette commande.")
    await anne.send("Bonjour !")
    await anne.expect("Je n’ai pas compris.")
    bruno = await network.member("Bruno")
    await bruno.send("/help")
    member_help = await bruno.expect("Ce que je sais faire")
    assert "Pour l’équipe d’animation" not in member_help["text"]


def strip_tags(text: str) -> str:
    """What a member reads of a catalog text (tags gone, entities decoded)."""
    return re.sub(r"<[^>]+>", "", text).replace("&#39;", "'").replace("&amp;", "&")


async def test_every_main_menu_button_opens_its_feature(network: Network) -> None:
    bruno = await network.member("Bruno")
    t = network.services.translator("fr")
    opened = {
        "📋 Questionnaires": t("diagnostic.home.nothing"),
        "🎥 Visio du mois": t("visio.menu.title"),
        "🤝 Codéveloppement": t("codev.home.title"),
        "💬 Questions fréquentes": t("faq.home.title"),
        "👤 Mon profil": "Votre profil",
        "🔔 Préférences": t("preferences.title"),
        "🌐 Langue": "Dans quelle langue",
        "❓ Aide": "Ce que je sais faire",
        "📇 Annuaire": t("directory.menu.title"),
    }
    for label, first_words in opened.items():
        await bruno.send("/menu")
        await bruno.expect("que voulez-vous faire")
        await bruno.tap(label)
        await bruno.expect(strip_tags(first_words)[:25])
    await bruno.send("/menu")
    await bruno.expect("que voulez-vous faire")
    await bruno.tap("📄 Mes données")
    assert (await bruno.expect_document()).filename == "mes_donnees.json"
