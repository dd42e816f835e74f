"""Bad input on /stats: a member on every animator action (refused and audited), forged and
stale buttons, a month with no data, a month not over, a command mid-way."""

from __future__ import annotations

from bot.clock import FrozenClock
from tests.e2e.conftest import Network
from tests.e2e.stats.test_stats import march_network, open_month

DENIED = "réservée à l’équipe d’animation"
EXPIRED = "Ce bouton a expiré"
ANIMATOR_PRESSES = {
    "stats_menu:1": "stats_menu",
    "stats_view:1:2030-03": "stats_view",
    "stats_view:1:year": "stats_view",
    "stats_chart:1:year": "stats_chart",
    "stats_export:1:2030-03:csv": "stats_export",
    "stats_export:1:year:json": "stats_export",
    "stats_pub:1:2030-03": "stats_preview",
    "stats_ok:1:2030-03:abcd1234": "stats_publish",
    "stats_no:1:2030-03:abcd1234": "stats_cancel",
    "stats_auto:1:1": "stats_monthly",
}


async def test_a_member_is_refused_every_animator_action_and_each_refusal_is_audited(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    _, members = await march_network(network, clock)
    bruno = members[0]
    await bruno.send("/stats")  # a member gets the published digests, none yet
    await bruno.expect("Aucun bilan n’a encore été publié")
    for data in ANIMATOR_PRESSES:
        await bruno.tap_data(data)
        await bruno.expect(DENIED)
    entries = await network.services.audit.for_user(bruno.user_id)
    refused = {e.action for e in entries if not e.allowed}
    assert set(ANIMATOR_PRESSES.values()) <= refused
    assert await network.services.stats.published() == []
    assert await network.services.stats.schedule_enabled() is None
    await bruno.expect_nothing()
    stranger = network.newcomer("Yann", started=True)  # never registered
    await stranger.send("/stats")
    await stranger.expect("Tapez /start pour commencer")
    await stranger.tap_data("stats_view:1:2030-03")
    await stranger.expect("Tapez /start pour commencer")


async def test_forged_and_stale_buttons_expire(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    anne, members = await march_network(network, clock)
    await open_month(anne)
    for data in (
        "stats_view:1:2031-01",  # the future
        "stats_view:1:1999-12",  # absurdly old
        "stats_view:1:2030-3",
        "stats_view:1:march",
        "stats_view:0:2030-03",  # an old version of the button
        "stats_export:1:2030-03:xml",
        "stats_chart:1:2030-13",
        "stats_pub:1:year",
        "stats_ok:1:2030-03:not-hex!",
        "stats_ok:1:2030-03:abcd1234",  # well formed, but no such preview
        "stats_no:1:2030-03:abcd1234",
        "stats_auto:1:maybe",
        "stats_zzz:1",
    ):
        await anne.tap_data(data)
        toast = await anne.expect(EXPIRED)
        assert toast["toast"] == "Ce bouton a expiré."
    chloe = members[1]
    await chloe.send("/stats")
    await chloe.expect("Aucun bilan")
    await chloe.tap_data("stats_seen:1:2030-03")  # a month never published
    await chloe.expect(EXPIRED)
    await chloe.tap_data("stats_seen:1:nope")
    await chloe.expect(EXPIRED)


async def test_a_month_with_no_data_shows_so_and_cannot_be_published(
    clocked_network: Network, clock: FrozenClock
) -> None:
    anne, _ = await march_network(clocked_network, clock)
    shown = await open_month(anne, "juin 2029")
    assert "Aucune activité enregistrée ce mois-ci." in shown["text"]
    assert "Membres inscrits (fin du mois) : 0" in shown["text"]
    assert ["📣 Publier aux membres"] not in anne.buttons(shown["message_id"])
    await anne.tap("CSV")  # the files of an empty month still open
    spreadsheet = await anne.expect_document()
    assert spreadsheet.data.startswith("\ufeff".encode())
    await anne.tap_data("stats_pub:1:2029-06")
    await anne.expect("Aucune activité ce mois-ci : il n’y a rien à publier.")
    await anne.tap_data("stats_pub:1:2030-04")  # the month under way
    await anne.expect("Ce mois n’est pas terminé")


async def test_a_cancelled_or_replaced_preview_cannot_be_confirmed(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    anne, members = await march_network(network, clock)
    await open_month(anne)
    await anne.tap("Publier aux membres")
    first = await anne.expect("Publier les chiffres de mars 2030")
    await anne.send_sticker()  # nothing is typed in this flow: a sticker changes nothing
    await anne.send("/stats")  # a command mid-way opens the menu again
    await anne.expect("Choisissez un mois")
    await anne.tap("Annuler", message_id=first["message_id"])
    await anne.expect("Rien n’a été publié.")
    await anne.tap("✅ Publier", message_id=first["message_id"])  # the cancelled preview's
    await anne.expect(EXPIRED)

    await anne.tap_data("stats_pub:1:2030-03")
    second = await anne.expect("Publier les chiffres de mars 2030")
    await anne.tap_data("stats_pub:1:2030-03")
    await anne.expect("Publier les chiffres de mars 2030")
    await anne.tap("✅ Publier", message_id=second["message_id"])  # replaced by the third
    await anne.expect(EXPIRED)
    await network.run_due()
    assert await network.services.stats.published() == []
    for member in members:
        await member.expect_nothing(within=0.05)
