"""/lettre and /rappel given bad input: clear answers, nothing lost, nothing sent by mistake."""

from __future__ import annotations

from bot.delivery import SendStatus
from bot.domain.newsletter.model import BroadcastKind
from bot.sandbox import SimUser
from bot.seed import Profile, seed_member
from tests.e2e.conftest import Network
from tests.e2e.newsletter.test_letters import preview, write

EVERY_STATUS = list(SendStatus)


async def member_in(network: Network, name: str, territory: str) -> SimUser:
    """A registered member of another territory than the default one."""
    user = network.newcomer(name, started=True)
    await seed_member(network.services, user.user_id, Profile(name, "MFS", territory, "Agent"))
    return user


async def nothing_sent(network: Network) -> bool:
    """No newsletter or reminder was handed to the delivery engine."""
    return not await network.services.deliveries.sends(["newsletter", "reminder"], EVERY_STATUS)


async def test_non_animators_are_refused_and_audited_commands_and_forged_buttons(
    network: Network,
) -> None:
    await network.animator()
    bruno = await network.member("Bruno")
    for command in ("/lettre", "/rappel"):
        await bruno.send(command)
        await bruno.expect("réservée à l’équipe d’animation")
    await bruno.tap_data("nl_act:1:newsletter:go")
    await bruno.expect("réservée à l’équipe d’animation")
    await bruno.tap_data("nl_resend:1:1")
    await bruno.expect("réservée à l’équipe d’animation")
    entries = await network.services.audit.for_user(bruno.user_id)
    assert [(e.action, e.allowed) for e in entries] == [
        ("newsletter", False),
        ("reminder", False),
        ("broadcast_button", False),
        ("broadcast_resend", False),
    ]
    assert await nothing_sent(network)


async def test_stale_or_forged_buttons_of_an_animator_expire_and_change_nothing(
    network: Network,
) -> None:
    anne = await network.animator()
    await anne.send("/rappel")
    await anne.expect("Écrivez")
    for forged in (
        "nl_act:1:newsletter:explode",
        "nl_act:1:poster:preview",
        "nl_seg:1:reminder:territory:0123456789",
        "nl_aud:1:reminder:birthday",
        "nl_resend:1:99999",
        "pref_out:1:everything",
    ):
        await anne.tap_data(forged)
        await anne.expect("Ce bouton a expiré.")
    await anne.tap_data("nl_cancel:1:newsletter:99999")
    await anne.expect("Cet envoi n’est plus programmé")
    await anne.tap_data("nl_act:1:reminder:go")
    await anne.expect("Le brouillon est vide : écrivez d’abord le texte.")
    assert await nothing_sent(network)


async def test_an_unknown_variable_in_the_text_shows_its_line_and_nothing_is_sent(
    network: Network,
) -> None:
    anne = await network.animator()
    await network.member("Chloé")
    await write(anne, "/lettre", "Bonjour,", "Prochaine visio :\n{{ prochaine_visio }}")
    await anne.tap("Aperçu")
    await anne.expect(
        "Variable inconnue « prochaine_visio » dans votre texte, ligne 4."
        "\nRien n’a été envoyé ni programmé."
    )
    await anne.tap_data("nl_act:1:newsletter:go")  # a panel kept from earlier, say
    await anne.expect("Variable inconnue « prochaine_visio »")
    await anne.send("/lettre")
    await anne.expect("Un brouillon est en cours")  # the text typed is not lost
    await anne.tap("Vider le brouillon")
    await anne.expect("Brouillon vidé")
    await anne.send("Le réseau {{ network }} {% if %}")
    await anne.expect("Ajouté au brouillon")
    await anne.tap("Aperçu")
    await anne.expect("Erreur dans votre texte, ligne 1 : Expected an expression")
    assert await nothing_sent(network)


async def test_a_broken_network_template_shows_the_file_and_line_and_nothing_is_sent(
    network: Network,
) -> None:
    folder = network.settings.db_path.parent / "templates" / "newsletter"
    folder.mkdir(parents=True)
    (folder / "reminder.fr.html.j2").write_text("<b>Rappel</b>\n\n{{ text }\n", encoding="utf-8")
    (folder / "reminder.en.html.j2").write_text("{{ text }}<br>", encoding="utf-8")
    anne = await network.animator()
    await write(anne, "/rappel", "Visio demain.")
    await anne.tap("Aperçu")
    await anne.expect("Erreur dans le modèle « reminder.fr.html.j2 », ligne 3")
    (folder / "reminder.fr.html.j2").write_text("<b>Rappel</b>\n\n{{ text }}\n", encoding="utf-8")
    await anne.tap("Aperçu")
    await anne.expect(
        "Le modèle « reminder.en.html.j2 » produit du HTML que Telegram refuserait :"
        " the tag <br> is not allowed by Telegram"
    )
    assert await nothing_sent(network)


async def test_over_long_reminder_and_non_text_are_refused_and_the_draft_kept(
    network: Network,
) -> None:
    anne = await network.animator()
    await write(anne, "/rappel", "Visio demain.")
    await anne.send("x" * 1000)
    await anne.expect("C’est trop long : 1015 caractères, 1000 au maximum.")
    await anne.send_photo()
    await anne.expect("Envoyez du texte")
    await anne.send("/annuler")
    await anne.expect("C’est annulé")
    await anne.send("/rappel")
    await anne.expect("Un brouillon est en cours (13 caractères)")


async def test_a_segment_that_matches_nobody_is_said_before_sending(network: Network) -> None:
    anne = await network.animator()
    await network.member("Chloé")
    lea = await member_in(network, "Léa", "Ardèche")
    await network.services.newsletters.preferences.set_wanted(
        lea.user_id, BroadcastKind.REMINDER, False
    )
    await write(anne, "/rappel", "Réunion ardéchoise jeudi.")
    await preview(anne)
    await anne.tap("Destinataires")
    await anne.expect("À qui l’envoyer ?")
    await anne.tap("Par territoire")
    await anne.expect("Lequel ou laquelle ?")
    await anne.tap("Ardèche (1)")
    panel = await anne.expect("le territoire « Ardèche » ; 0 membre le recevra")
    assert "(sans compter : 1 qui ne veut pas de ces envois)" in panel["text"]
    assert "Personne ne recevrait ce message" in panel["text"]
    assert anne.buttons(panel["message_id"]) == [  # no way to send it
        ["🎯 Destinataires", "⚡ Urgent : non"],
        ["✏️ Ajouter du texte", "📨 M’envoyer un test"],
    ]
    await anne.tap_data("nl_act:1:reminder:go", panel["message_id"])
    await anne.expect("Personne ne recevrait ce message (sans compter : 1 qui ne veut pas")
    assert await nothing_sent(network)
