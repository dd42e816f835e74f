"""Members' say over broadcasts through the sandbox: the opt-out button, /preferences, quiet
hours held until morning unless urgent, and /stop above everything."""

from __future__ import annotations

from bot.sandbox import SimUser
from tests.e2e.conftest import Network
from tests.e2e.newsletter.test_letters import paris, preview, received, send_now, write


async def remind(network: Network, anne: SimUser, text: str, count: int) -> None:
    """The animator sends a reminder to everyone now; the due jobs run."""
    await write(anne, "/rappel", text)
    await preview(anne)
    await send_now(anne, count)
    await network.run_due()


async def test_the_opt_out_button_stops_that_kind_only_and_can_be_undone(
    clocked_network: Network,
) -> None:
    network = clocked_network
    anne = await network.animator()
    chloe = await network.member("Chloé")
    await remind(network, anne, "Premier rappel.", 2)
    first = await chloe.expect("Premier rappel.")
    assert chloe.buttons(first["message_id"]) == [["🔕 Ne plus recevoir les rappels"]]

    await chloe.tap("Ne plus recevoir les rappels")
    await chloe.expect("vous ne recevrez plus les rappels")
    await remind(network, anne, "Deuxième rappel.", 1)
    await chloe.expect_nothing()
    assert received(network.sandbox, "Deuxième rappel.")[chloe.user_id] == 0

    await chloe.tap("Annuler")
    await chloe.expect("vous recevez de nouveau les rappels")
    await remind(network, anne, "Troisième rappel.", 2)
    await chloe.expect("Troisième rappel.")


async def test_preferences_show_and_change_each_kind_and_stop_wins(network: Network) -> None:
    chloe = await network.member("Chloé")
    await chloe.send("/preferences")
    screen = await chloe.expect("Vos préférences de diffusion")
    assert "📰 Lettre du réseau : vous la recevez." in screen["text"]
    assert "🌙 Heures calmes : aucune." in screen["text"]
    await chloe.tap("Ne plus recevoir la lettre")
    changed = await chloe.expect("vous ne la recevez pas")
    assert "🔔 Rappels de l’équipe d’animation : vous les recevez." in changed["text"]
    await chloe.tap("Heures calmes")
    await chloe.expect("Pendant quelles heures")
    await chloe.tap("21 h 00 – 7 h 00")
    await chloe.expect("de 21 h 00 à 7 h 00 (Europe/Paris)")

    await chloe.send("/stop")
    await chloe.expect("Vous ne recevrez plus de lettres ni de rappels")
    await chloe.send("/preferences")
    stopped = await chloe.expect("Vous avez arrêté toutes les diffusions (/stop)")
    assert "vous ne la recevez pas" in stopped["text"]  # the choice underneath is kept
    await chloe.tap("Réactiver les diffusions")
    resumed = await chloe.expect("Vos préférences de diffusion")
    assert "arrêté toutes les diffusions" not in resumed["text"]
    member = await network.services.members.get(chloe.user_id)
    assert member is not None and member.subscribed
    prefs = await network.services.newsletters.preferences.get(chloe.user_id)
    assert prefs.refused == {"newsletter"}

    await chloe.tap_data("pref_quiet:1:3-4")
    await chloe.expect("Ce bouton a expiré.")
    await chloe.tap_data("pref_want:1:newsletter:maybe")
    await chloe.expect("Ce bouton a expiré.")
    stranger = network.newcomer("Inconnu", started=True)
    await stranger.send("/preferences")
    await stranger.expect("Tapez /start pour commencer.")


async def test_quiet_hours_hold_a_reminder_until_morning_unless_it_is_urgent(
    clocked_network: Network,
) -> None:
    network = clocked_network
    network.clock.set(paris(2030, 3, 5, 22, 0))
    anne = await network.animator()
    chloe = await network.member("Chloé")
    bruno = await network.member("Bruno")
    await chloe.send("/preferences")
    await chloe.expect("Vos préférences")
    await chloe.tap("Heures calmes")
    await chloe.expect("Pendant quelles heures")
    await chloe.tap("20 h 00 – 8 h 00")
    await chloe.expect("de 20 h 00 à 8 h 00")

    await write(anne, "/rappel", "Rappel du soir.")
    await preview(anne)
    outcome = await send_now(anne, 3)
    assert "1 membre le recevra à la fin de ses heures calmes." in outcome["text"]
    await network.run_due()
    await bruno.expect("Rappel du soir.")
    await chloe.expect_nothing()
    assert received(network.sandbox, "Rapport d’envoi")[anne.user_id] == 0  # not over yet

    await network.reach(paris(2030, 3, 6, 8, 0))
    await chloe.expect("Rappel du soir.")
    report = await anne.expect("Rapport d’envoi")
    assert "✅ Remis : 3" in report["text"]

    network.clock.set(paris(2030, 3, 6, 23, 0))
    await write(anne, "/rappel", "Urgent : la visio de demain est annulée.")
    panel = await preview(anne)
    await anne.tap("Urgent : non", message_id=panel["message_id"])
    await anne.expect("Urgent : il arrivera même pendant les heures calmes")
    await send_now(anne, 3, panel["message_id"])
    await network.run_due()
    await chloe.expect("la visio de demain est annulée")
