"""Animators import the directory from a spreadsheet (dry run, then confirm) and export it."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from bot.sandbox import SimUser
from tests.e2e.conftest import Network
from tests.e2e.directory.sheets import ROWS, csv_bytes, xlsx_bytes


async def open_import(anne: SimUser) -> None:
    """/annuaire → 📥, waiting for the file."""
    await anne.send("/annuaire")
    await anne.expect("Annuaire du réseau")
    await anne.tap("📥 Importer un tableur")
    await anne.expect("Import de l’annuaire")


async def test_import_dry_run_then_confirm_then_update(network: Network) -> None:
    anne = await network.animator()
    directory = network.services.directory
    await open_import(anne)
    await anne.send_document("annuaire.xlsx", xlsx_bytes(ROWS))
    checked = await anne.expect("Vérification de « annuaire.xlsx » : 3 ligne(s) lue(s).")
    assert "✨ 3 fiches à créer" in checked["text"]
    assert "⛔ 0 ligne rejetée" in checked["text"]
    assert not await directory.all_cards()  # nothing saved before the confirmation
    await anne.tap("✅ Importer 3 fiches")
    await anne.expect("Import terminé : 3 fiches enregistrées.")
    cards = await directory.all_cards()
    assert sorted(c.structure for c in cards) == [
        "France Services Nyons",
        "MSAP Aubenas",
        "Mairie de Crest",
    ]
    assert all(c.user_id is None for c in cards)

    bruno = await network.member("Bruno")
    await bruno.send("/annuaire etat civil")
    await bruno.expect("1 fiche")
    await bruno.tap("Mairie de Crest (Drôme)")
    card = await bruno.expect("Fiche importée par l’équipe d’animation.")
    assert "État civil" in card["text"]

    changed = [
        (
            "Léa Martin",
            "FRANCE SERVICES NYONS",
            "drome",
            "Agente",
            "CAF, impôts, ANTS",
            "lea@ex.org",
        ),
        ROWS[2],
        ("Zoé", "Mairie de Crest", "Drôme", "", "", ""),
        ("", "", "Drôme", "", "", ""),
    ]
    await open_import(anne)
    await anne.send_document("maj.csv", csv_bytes(changed, delimiter=",", encoding="cp1252"))
    checked = await anne.expect("Vérification de « maj.csv » : 4 ligne(s) lue(s).")
    text = checked["text"]
    assert "✨ 0 fiche à créer" in text and "🔁 2 fiches à mettre à jour" in text
    assert "＝ 1 fiche inchangée" in text and "⛔ 1 ligne rejetée" in text
    assert "Ligne 5 : la colonne Structure est vide" in text
    await anne.tap("✅ Importer 2 fiches")
    await anne.expect("Import terminé : 2 fiches enregistrées.")
    cards = {c.structure.casefold(): c for c in await directory.all_cards()}
    assert len(cards) == 3
    assert cards["france services nyons"].skills == "CAF, impôts, ANTS"
    assert cards["mairie de crest"].name == "Zoé"
    assert cards["mairie de crest"].skills == ""  # an empty cell empties the field

    # the same confirmation again (an old keyboard still on screen): nothing more
    await anne.tap("✅ Importer 2 fiches", message_id=checked["message_id"])
    await anne.expect("Ce bouton a expiré.")


async def test_a_member_card_absorbs_the_imported_one_and_wins(network: Network) -> None:
    anne = await network.animator()
    directory = network.services.directory
    await open_import(anne)
    row = ("", "France Services Die", "Drôme", "", "Accueil", "")
    await anne.send_document("a.csv", csv_bytes([row]))
    await anne.expect("1 fiche à créer")
    await anne.tap("✅ Importer 1 fiche")
    await anne.expect("Import terminé")
    bruno = await network.member("Bruno")  # France Services Die, Drôme
    member = await network.services.members.get(bruno.user_id)
    assert member is not None
    await directory.publish(member)
    [card] = await directory.all_cards()
    assert card.user_id == bruno.user_id
    await open_import(anne)
    await anne.send_document("a.csv", csv_bytes([row]))
    checked = await anne.expect("1 ligne rejetée")
    assert "déjà une fiche publiée par son membre" in checked["text"]
    assert "Il n’y a rien à enregistrer." in checked["text"]
    await anne.tap("Annuler")
    await anne.expect("Import annulé")


async def test_long_reports_come_as_a_file(network: Network) -> None:
    anne = await network.animator()
    rows = [("", f"Structure {n}", "Isère" if n % 3 else "", "", "", "") for n in range(30)]
    await open_import(anne)
    await anne.send_document("grand.csv", csv_bytes(rows))
    checked = await anne.expect("Vérification de « grand.csv » : 30 ligne(s)")
    assert "… et 0 autre" not in checked["text"] and "10 lignes rejetées" in checked["text"]
    report = await anne.expect_document()
    assert report.filename == "rapport_import_annuaire.csv"
    lines = list(csv.reader(io.StringIO(report.data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Ligne", "Résultat", "Structure", "Territoire", "Motif"]
    assert len(lines) == 31
    assert lines[1] == ["2", "rejetée", "Structure 0", "", "la colonne Territoire est vide"]
    assert lines[2][1] == "création"


async def test_export_holds_only_what_was_published(network: Network) -> None:
    anne = await network.animator()
    services = network.services
    bruno = await network.member("Bruno")
    chloe = await network.member("Chloé")
    for user in (bruno, chloe):
        member = await services.members.get(user.user_id)
        assert member is not None
        await services.directory.publish(member)
    await services.directory.set_field(bruno.user_id, "skills", '=HYPERLINK("x")')
    await services.directory.set_telegram_link(chloe.user_id, True)
    await network.member("David")  # registered, no card: not exported

    await anne.send("/annuaire")
    await anne.expect("Annuaire du réseau")
    await anne.tap("📤 Exporter")
    await anne.expect("Export de l’annuaire")
    await anne.tap("CSV")
    exported = await anne.expect_document()
    assert exported.filename == "annuaire.csv" and "2 fiches" in exported.caption
    table = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == [
        "Nom",
        "Structure",
        "Territoire",
        "Fonction",
        "Compétences",
        "Contact",
        "Telegram",
    ]
    by_name = {row[0]: row for row in table[1:]}
    assert set(by_name) == {"Bruno", "Chloé"}
    assert by_name["Bruno"][4] == '\'=HYPERLINK("x")'  # never run as a formula
    assert by_name["Bruno"][6] == ""
    assert by_name["Chloé"][6] == f"tg://user?id={chloe.user_id}"

    await anne.tap("Excel (.xlsx)")
    workbook = await anne.expect_document()
    assert workbook.filename == "annuaire.xlsx"
    sheet = load_workbook(io.BytesIO(workbook.data), read_only=True).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Nom", "Structure", "Territoire"]
    assert sorted(row[0] for row in values[1:]) == ["Bruno", "Chloé"]


async def test_a_restart_loses_neither_a_checked_import_nor_a_question(network: Network) -> None:
    anne = await network.animator()
    await open_import(anne)
    await anne.send_document("a.csv", csv_bytes(ROWS))
    checked = await anne.expect("3 fiches à créer")
    bruno = await network.member("Bruno")
    member = await network.services.members.get(bruno.user_id)
    assert member is not None
    await network.services.directory.publish(member)
    await bruno.send("/annuaire")
    await bruno.expect("Annuaire du réseau")
    await bruno.tap("🪪 Ma fiche")
    await bruno.expect("Votre fiche")
    await bruno.tap("✏️ Fonction")
    await bruno.expect("Quelle est votre fonction ?")

    await network.restart()

    await bruno.send("Médiateur numérique")
    await bruno.expect("💼 Médiateur numérique")
    await anne.tap("✅ Importer 3 fiches", message_id=checked["message_id"])
    await anne.expect("3 fiches enregistrées")
    assert len(await network.services.directory.all_cards()) == 4
