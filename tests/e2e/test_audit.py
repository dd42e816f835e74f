"""/journal (/audit): the audit log as a spreadsheet for the animators, through the sandbox."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.clock import FrozenClock
from bot.sandbox import SimUser
from tests.e2e.conftest import Network
from tests.e2e.test_members import choose_role

Row = dict[str, str]


def rows_of(data: bytes) -> list[Row]:
    """The CSV read back as the animators' spreadsheet would (BOM, ``;``)."""
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


async def journal(anne: SimUser, button: str) -> tuple[str, list[Row]]:
    await anne.send("/journal")
    await anne.expect("Quelle période voulez-vous exporter ?")
    await anne.tap(button)
    document = await anne.expect_document()
    assert document.filename == "journal_audit.csv"
    return document.caption, rows_of(document.data)


async def test_animator_exports_the_journal_with_refusals_and_targets_by_period(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    anne = await network.animator()
    bruno = await network.member("Bruno")
    chloe = await network.member("Chloé")
    await bruno.send("/roles")  # refused, 40 days before the export
    await bruno.expect("réservée à l’équipe d’animation")
    clock.advance(timedelta(days=40))

    await choose_role(anne, "chlo", "Chloé (France Services Die) : membre", "facilitateur·rice")
    await anne.expect("C’est fait")
    await bruno.send("/journal")
    await bruno.expect("réservée à l’équipe d’animation")
    await bruno.tap_data("journal:1:all")  # a forged button: refused as well
    await bruno.expect("réservée à l’équipe d’animation")

    caption, recent = await journal(anne, "30 jours")
    assert "30 derniers jours" in caption and f"{len(recent)} lignes" in caption
    assert list(recent[0]) == [
        "Date",
        "Membre (identifiant)",
        "Membre (nom actuel)",
        "Action",
        "Décision",
        "Personne concernée (identifiant)",
        "Personne concernée (nom actuel)",
        "Détail",
    ]
    refusals = [r for r in recent if r["Décision"] == "refusée"]
    assert {
        (r["Membre (identifiant)"], r["Membre (nom actuel)"], r["Action"]) for r in refusals
    } == {
        (str(bruno.user_id), "Bruno", "journal"),
        (str(bruno.user_id), "Bruno", "journal_export"),
    }
    [changed] = [r for r in recent if r["Action"] == "role_changed"]
    assert changed["Membre (identifiant)"] == str(anne.user_id)
    assert changed["Personne concernée (identifiant)"] == str(chloe.user_id)
    assert changed["Personne concernée (nom actuel)"] == "Chloé"
    assert changed["Détail"] == "member->facilitator"
    assert changed["Date"] == "2030-04-14 11:00:00"  # Paris summer time (UTC+2)
    assert not [r for r in recent if r["Action"] == "roles" and r["Décision"] == "refusée"]

    _, everything = await journal(anne, "Tout")
    old = [r for r in everything if r["Action"] == "roles" and r["Décision"] == "refusée"]
    assert [r["Date"] for r in old] == ["2030-03-05 10:00:00"]  # winter time (UTC+1)
    assert len(everything) > len(recent)

    await anne.send("/journal 2030-03-01 2030-03-05")
    document = await anne.expect_document()
    assert "du 2030-03-01 au 2030-03-05" in document.caption
    typed = rows_of(document.data)
    assert [(r["Action"], r["Membre (identifiant)"]) for r in typed] == [
        ("roles", str(bruno.user_id))
    ]
    await anne.send("/journal 2030-03-10 2030-03-01")
    await anne.expect("La première date doit précéder la seconde.")
    await anne.send("/journal hier")
    await anne.expect("Je n’ai pas compris ces dates.")


async def test_an_erased_member_leaves_the_journal_without_a_name_or_id(
    network: Network,
) -> None:
    anne = await network.animator()
    bruno = await network.member("Bruno")
    await choose_role(anne, "brun", "Bruno (France Services Die) : membre", "facilitateur·rice")
    await anne.expect("C’est fait")
    await bruno.send("/supprimer")
    await bruno.expect("Voulez-vous vraiment effacer")
    await bruno.tap("Oui, tout effacer")
    await bruno.expect("Vos données personnelles ont été effacées.")

    _, rows = await journal(anne, "7 derniers jours")
    [changed] = [r for r in rows if r["Action"] == "role_changed"]
    assert changed["Personne concernée (identifiant)"] == ""
    assert changed["Personne concernée (nom actuel)"] == ""
    assert str(bruno.user_id) not in document_text(rows)


def document_text(rows: list[Row]) -> str:
    return "\n".join(";".join(row.values()) for row in rows)
