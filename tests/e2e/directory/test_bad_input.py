"""Directory bad input: clear answers in the member's language, nothing lost, refusals audited."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.sandbox import SimUser
from tests.e2e.conftest import Network
from tests.e2e.directory.sheets import HEADER_FR, ROWS, csv_bytes, xlsx_bytes
from tests.e2e.directory.test_cards import publish
from tests.e2e.directory.test_import_export import open_import

HOSTILE_SEARCHES = (
    '"',
    "*",
    "- NEAR(",
    "a OR b",
    "structure: x",
    "'; DROP TABLE directory_cards; --",
    '") OR 1=1 --',
)


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


async def test_malformed_spreadsheets_are_refused_clearly_and_nothing_is_saved(
    network: Network,
) -> None:
    anne = await network.animator()
    await open_import(anne)
    big = csv_bytes([("", f"Structure {n}", "Drôme", "", "", "") for n in range(100_000)])
    refusals = [
        ("utf16.csv", csv_bytes(ROWS, encoding="utf-16"), "Je ne sais pas lire l’encodage"),
        ("latin.csv", b"Structure;Territoire\r\nMairie \x81;Dr\x8dme\r\n", "l’encodage"),
        ("cols.csv", csv_bytes(ROWS, header=("Nom", "Ville?", "Quoi")), "Colonnes obligatoires"),
        ("vide.csv", b"Structure;Territoire\r\n;\r\n", "aucune ligne"),
        ("cent_mille.csv", big, "trop de lignes : 10000 au plus"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "n’est pas un tableur"),
        ("faux.xlsx", b"bonjour", "n’est pas un tableur"),
        ("archive.xlsx", _zip_without_workbook(), "n’est pas un tableur"),
        ("enorme.csv", b"Structure;Territoire\r\n" + b"x;y\r\n" * 1_500_000, "trop gros : 5 Mo"),
    ]
    for name, data, expected in refusals:
        await anne.send_document(name, data)
        await anne.expect(expected, timeout=20)
    await anne.send("bonjour")
    await anne.expect("J’attends le tableur en document")
    await anne.send_sticker()
    await anne.expect("J’attends le tableur en document")
    await anne.send("/annuaire")
    await anne.expect("Vous êtes au milieu d’une question")
    assert not await network.services.directory.all_cards()
    # still waiting: a good file now goes through
    await anne.send_document("bon.csv", csv_bytes(ROWS))
    await anne.expect("✨ 3 fiches à créer")


async def test_formula_cells_are_rejected_naming_the_column(network: Network) -> None:
    anne = await network.animator()
    await open_import(anne)
    rows = [
        ("Léa", '=CONCAT("France";" Services")', "Drôme", "", "", ""),
        ("Paul", "MSAP Aubenas", "Ardèche", "", "=1+1", ""),
        ("Iris", "Mairie de Die", "Drôme", "", "", ""),
    ]
    await anne.send_document("formules.xlsx", xlsx_bytes(rows, HEADER_FR))
    checked = await anne.expect("2 lignes rejetées")
    assert "Ligne 2 : la colonne Structure contient une formule" in checked["text"]
    assert "Ligne 3 : la colonne Compétences contient une formule" in checked["text"]
    await anne.tap("✅ Importer 1 fiche")
    await anne.expect("1 fiche enregistrée")
    assert [c.structure for c in await network.services.directory.all_cards()] == ["Mairie de Die"]


async def test_over_long_fields_stickers_and_commands_lose_nothing(network: Network) -> None:
    bruno = await network.member("Bruno")
    await publish(bruno)
    await bruno.tap("✏️ Compétences")
    await bruno.expect("600 caractères au plus")
    await bruno.send("x" * 601)
    await bruno.expect("C’est trop long : 600 caractères au plus.")
    await bruno.send_sticker()
    await bruno.expect("Merci de répondre par un message texte")
    await bruno.send_photo()
    await bruno.expect("Merci de répondre par un message texte")
    await bruno.send("/annuaire")
    await bruno.expect("Vous êtes au milieu d’une question")
    await bruno.send("Médiation numérique")
    await bruno.expect("🧰 Médiation numérique")
    await bruno.tap("✏️ Structure")
    await bruno.expect("Quelle est votre structure ?")
    await bruno.send("/passer")  # a required line cannot be skipped
    await bruno.expect("Cette ligne ne peut pas être vide.")
    await bruno.send("/annuler")
    await bruno.expect("C’est annulé.")
    card = await network.services.directory.card_of(bruno.user_id)
    assert card is not None
    assert (card.structure, card.skills) == ("France Services Die", "Médiation numérique")

    emma = await network.member("Emma", "en")
    await publish_en(emma)
    await emma.tap("✏️ Contact")
    await emma.send("y" * 201)
    await emma.expect("That is too long: at most 200 characters.")
    await emma.send("/skip")
    await emma.expect("Your card, as members see it")


async def publish_en(user: SimUser) -> None:
    """The English publication path."""
    await user.send("/directory")
    await user.expect("Network directory")
    await user.tap("🪪 My card")
    await user.expect("Do you want to publish your card?")
    await user.tap("✅ Yes, publish my card")
    await user.expect("Your card, as members see it")


@pytest.mark.parametrize("typed", HOSTILE_SEARCHES)
async def test_search_syntax_characters_never_raise_nor_inject(
    network: Network, typed: str
) -> None:
    bruno = await network.member("Bruno")
    await publish(bruno)
    chloe = await network.member("Chloé")
    await chloe.send(f"/annuaire {typed}")
    answer = await chloe.expect("")
    assert "Aucune fiche" in answer["text"] or "aucun mot à chercher" in answer["text"]
    await chloe.send("/annuaire")
    await chloe.expect("Annuaire du réseau")
    await chloe.tap("🔎 Rechercher")
    await chloe.expect("Que cherchez-vous")
    await chloe.send(typed)
    await chloe.expect("")
    assert await network.services.directory.card_of(bruno.user_id) is not None
    await chloe.send("/annuaire france die")
    await chloe.expect("1 fiche")


async def test_non_animators_are_refused_every_animator_action_and_audited(
    network: Network,
) -> None:
    anne = await network.animator()
    bruno = await network.member("Bruno")
    await open_import(anne)
    await anne.send_document("a.csv", csv_bytes(ROWS))
    checked = await anne.expect("3 fiches à créer")
    token = next(
        b["callback_data"].split(":")[-1]
        for row in checked["buttons"]
        for b in row
        if b["callback_data"].startswith("dir_imp:1:yes:")
    )
    await bruno.send("/annuaire")
    menu = await bruno.expect("Annuaire du réseau")
    assert "Importer" not in str(menu["buttons"]) and "Exporter" not in str(menu["buttons"])
    for data in (
        "dir_menu:1:import",
        "dir_menu:1:export",
        "dir_exp:1:csv",
        "dir_exp:1:xlsx",
        f"dir_imp:1:yes:{token}",
        f"dir_imp:1:no:{token}",
    ):
        await bruno.tap_data(data)
        toast = await bruno.expect("réservée à l’équipe d’animation")
        assert toast["show_alert"]
    await bruno.send_document("a.csv", csv_bytes(ROWS))  # outside any import
    await bruno.expect("")
    assert not await network.services.directory.all_cards()
    refused = [(e.action, e.allowed) for e in await network.services.audit.for_user(bruno.user_id)]
    assert refused == [
        ("directory_import", False),
        ("directory_export", False),
        ("directory_export_file", False),
        ("directory_export_file", False),
        ("directory_import_confirm", False),
        ("directory_import_confirm", False),
    ]
    await anne.tap("✅ Importer 3 fiches")  # the animator's own import is intact
    await anne.expect("3 fiches enregistrées")


async def test_forged_or_stale_buttons_expire(network: Network) -> None:
    bruno = await network.member("Bruno")
    await bruno.send("/annuaire")
    await bruno.expect("Annuaire du réseau")
    for data in (
        "dir_card:1:999",
        "dir_card:1:abc",
        "dir_find:1:x:agent",
        "dir_terr:1:0123456789:0",
        "dir_terr:1:abc:x",
        "dir_edit:1:password",
        "dir_mine:1:delete_all",
        "dir_menu:1:admin",
        "dir_find:2:0:agent",
    ):
        await bruno.tap_data(data)
        toast = await bruno.expect("")
        assert "toast" in toast, data
        assert toast["toast"] in {"Ce bouton a expiré.", "Cette fiche a été retirée de l’annuaire."}
    await bruno.tap_data("dir_edit:1:skills")  # a real field, but no card to edit
    await bruno.expect("Vous n’avez pas (ou plus) de fiche")
    await bruno.tap_data("dir_mine:1:withdraw_yes")  # nothing to withdraw
    await bruno.expect("Vous n’avez pas (ou plus) de fiche")
