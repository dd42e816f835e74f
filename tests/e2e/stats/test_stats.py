"""/stats through the sandbox: the animator's figures, chart and files, the digest published
to the members (who can opt out), and the monthly prompt."""

from __future__ import annotations

import csv
import io
import json

from bot.clock import FrozenClock
from bot.sandbox import SimUser
from tests.e2e.conftest import Network
from tests.unit.stats.activity import APRIL_NOON, seed_march

NAMES = ("Bruno", "Chloé", "David", "Emma", "Farid", "Gaëlle", "Hugo")


async def march_network(network: Network, clock: FrozenClock) -> tuple[SimUser, list[SimUser]]:
    """The animator and seven members with March 2030's activity; the clock on 2 April."""
    anne = await network.animator()
    members = [network.newcomer(name, started=True) for name in NAMES]
    await seed_march(network.services, [m.user_id for m in members])
    clock.set(APRIL_NOON)
    return anne, members


async def open_month(anne: SimUser, label: str = "mars 2030") -> dict:
    await anne.send("/stats")
    await anne.expect("Choisissez un mois, ou les 12 derniers mois")
    await anne.tap(label)
    return await anne.expect(f"Statistiques d’usage — {label}")


async def test_animator_sees_a_month_its_chart_and_both_files(
    clocked_network: Network, clock: FrozenClock
) -> None:
    anne, _ = await march_network(clocked_network, clock)
    shown = await open_month(anne)
    text = shown["text"]
    assert "Membres actifs : 6" in text
    assert "Nouveaux membres : < 5" in text  # two joined in March: hidden
    assert "Taux de réponse (%) : 83 %" in text
    assert "Satisfaction moyenne (sur 5) : 4,0 / 5" in text
    assert "Lettres remises : 6" in text
    assert "moins de 5 personnes" in text
    assert anne.buttons(shown["message_id"])[1] == ["📣 Publier aux membres"]

    await anne.tap("Graphique")
    photo = await anne.expect_photo()
    assert photo.data.startswith(b"\x89PNG")
    assert "avril 2029 – mars 2030" in photo.caption

    await anne.tap("CSV")
    spreadsheet = await anne.expect_document()
    assert spreadsheet.filename == "statistiques_2030-03.csv"
    assert spreadsheet.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(spreadsheet.data.decode("utf-8-sig")), delimiter=";"))
    values = {row[2]: row[3] for row in rows[1:]}
    assert values["members_active"] == "6" and values["members_new"] == "< 5"

    await anne.tap("JSON")
    opened = await anne.expect_document()
    assert opened.filename == "statistiques_2030-03.json"
    document = json.loads(opened.data)
    assert document["anonymity_threshold"] == 5
    [march] = document["months"]
    assert march["figures"]["visio_attended"] == {"value": None, "suppressed": True}
    assert march["figures"]["visio_votes"] == {"value": 9, "suppressed": False}


async def test_animator_sees_the_last_twelve_months(
    clocked_network: Network, clock: FrozenClock
) -> None:
    anne, _ = await march_network(clocked_network, clock)
    await anne.send("/stats")
    await anne.expect("Choisissez un mois")
    await anne.tap("12 derniers mois")
    year = await anne.expect("mai 2029 à avril 2030")
    assert "mars 2030 : 8 · 6 · 5 · 9 · < 5 · 1 · 6" in year["text"]
    await anne.tap("CSV")
    spreadsheet = await anne.expect_document()
    assert spreadsheet.filename == "statistiques_year.csv"
    rows = spreadsheet.data.decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 12 * 19
    await anne.tap("Retour")
    await anne.expect("Choisissez un mois")


async def test_the_digest_reaches_members_who_can_opt_out_and_read_it_again(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    anne, members = await march_network(network, clock)
    chloe, hugo = members[1], members[6]
    await network.services.members.set_language(hugo.user_id, "en")
    await open_month(anne)
    await anne.tap("Publier aux membres")
    await anne.expect("Aperçu")
    preview = await anne.expect("Le réseau en chiffres — mars 2030")
    assert anne.buttons(preview["message_id"]) == [["🔕 Ne plus recevoir les chiffres du mois"]]
    confirm = await anne.expect("Publier les chiffres de mars 2030 à 8 membres ?")
    await anne.tap("✅ Publier")
    await anne.expect("Chiffres de mars 2030 publiés : envoi à 8 membres en cours.")
    entries = await network.services.audit.for_user(anne.user_id)
    assert [e.detail for e in entries if e.action == "stats_published"] == ["2030-03 to 8"]
    await network.run_due()

    digest = await chloe.expect("Le réseau en chiffres — mars 2030")
    english = await hugo.expect("The network in figures — March 2030")  # in his language
    assert "Active members: 6" in english["text"]
    assert "Membres actifs : 6" in digest["text"] and "Nouveaux membres : < 5" in digest["text"]
    assert chloe.buttons(digest["message_id"]) == [["🔕 Ne plus recevoir les chiffres du mois"]]
    await chloe.tap("Ne plus recevoir les chiffres du mois")
    await chloe.expect("vous ne recevrez plus les chiffres du mois")
    await chloe.send("/preferences")
    await chloe.expect("Chiffres du mois du réseau : vous ne les recevez pas.")

    await chloe.send("/stats")  # members read what was published
    again = await chloe.expect("Le réseau en chiffres — mars 2030")
    assert "Membres actifs : 6" in again["text"]

    await anne.tap("✅ Publier", message_id=confirm["message_id"])  # pressed again: stale
    await anne.expect("ont déjà été publiés")
    await anne.tap_data("stats_pub:1:2030-03")  # a new preview of the same month
    await anne.expect("ont déjà été publiés")
    await network.run_due()
    await chloe.expect_nothing()
