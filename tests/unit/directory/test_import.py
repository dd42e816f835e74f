"""Reading spreadsheets and planning an import: encodings, headers, limits, outcomes."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook

from bot.domain.directory import MAX_ROWS, CardSource, Outcome, SpreadsheetError
from bot.domain.directory.card import Card
from bot.domain.directory.importing import plan_import
from bot.domain.directory.spreadsheet import FORMULA, MAX_UNZIPPED_BYTES, read_sheet
from bot.services import Services


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [
        ("Structure;Territoire;Compétences\r\nMairie;Drôme;État civil\r\n".encode(), ";"),
        ("\ufeffStructure,Territoire,Compétences\nMairie,Drôme,État civil\n".encode(), ","),
        ("STRUCTURE;TERRITOIRE;COMPETENCES\r\nMairie;Drôme;État civil\r\n".encode("cp1252"), ";"),
    ],
)
def test_csv_in_every_accepted_encoding_and_separator(data: bytes, delimiter: str) -> None:
    sheet = read_sheet("a.csv", data)
    assert sheet.columns == ("structure", "territory", "skills")
    [row] = sheet.rows
    assert row.line == 2
    assert row.cells == {"structure": "Mairie", "territory": "Drôme", "skills": "État civil"}


def test_english_headers_and_blank_rows() -> None:
    header = b"Name,Organization,Area,Job title,Services offered,Email\n"
    data = header + b",,,,,\nAl,MFS,Isere,Agent,Web,a@b\n"
    sheet = read_sheet("a.csv", data)
    assert sheet.columns == ("name", "structure", "territory", "role", "skills", "contact")
    assert [row.line for row in sheet.rows] == [3]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("a.csv", "Structure;Territoire\nA;B\n".encode("utf-16"), "encoding"),
        ("a.csv", b"Structure;Territoire\nMairie \x81;B\n", "encoding"),
        ("a.csv", b"Nom;Ville\nA;B\n", "missing_columns"),
        ("a.csv", b"Structure;Territoire\n", "empty"),
        ("a.png", b"\x89PNG\r\n\x1a\n\x00\x00", "not_spreadsheet"),
        ("a.xlsx", b"PK\x03\x04garbage", "not_spreadsheet"),
        ("a.xlsx", b"plain text", "not_spreadsheet"),
        ("a.csv", b"x" * (5 * 1024 * 1024 + 1), "too_big"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name: str, data: bytes, code: str) -> None:
    with pytest.raises(SpreadsheetError) as refused:
        read_sheet(name, data)
    assert refused.value.code == code


def test_too_many_rows_are_refused_without_reading_them_all() -> None:
    data = b"Structure;Territoire\n" + b"S;T\n" * 100_000
    with pytest.raises(SpreadsheetError) as refused:
        read_sheet("a.csv", data)
    assert refused.value.code == "too_many_rows" and refused.value.detail == str(MAX_ROWS)
    exactly = b"Structure;Territoire\n" + b"S;T\n" * MAX_ROWS
    assert len(read_sheet("a.csv", exactly).rows) == MAX_ROWS


def test_xlsx_formulas_are_never_evaluated() -> None:
    data = _xlsx([["Structure", "Territoire", "Compétences"], ["=1+1", "Drôme", 12.0]])
    [row] = read_sheet("a.xlsx", data).rows
    assert row.cells["structure"] is FORMULA
    plan = plan_import(read_sheet("a.xlsx", data), {}, set())
    [report] = plan.reports
    assert (report.outcome, report.reason, report.detail) == (
        Outcome.REJECTED,
        "formula",
        "structure",
    )


def _card(structure: str, territory: str, skills: str) -> Card:
    return Card(
        1,
        None,
        CardSource.IMPORT,
        "",
        structure,
        territory,
        "",
        skills,
        "",
        False,
        datetime.now(UTC),
    )


def test_plan_outcomes_and_reasons() -> None:
    data = (
        "Structure;Territoire;Compétences;Fonction\n"
        "Mairie de Die;Drôme;État civil;\n"  # unchanged
        "MFS Crest;Drôme;Numérique;\n"  # updated (skills)
        "Nouvelle;Isère;;\n"  # created
        "nouvelle;ISERE;;\n"  # duplicate of line 4
        ";Isère;;\n"  # no structure
        f"Longue;Isère;;{'x' * 101}\n"  # role too long
        "France Services Die;Drôme;;\n"  # a member's own card
    ).encode()
    imported = {
        "mairie de die|drome": _card("Mairie de Die", "Drôme", "État civil"),
        "mfs crest|drome": _card("MFS Crest", "Drôme", "Accueil"),
    }
    plan = plan_import(read_sheet("a.csv", data), imported, {"france services die|drome"})
    outcomes = [(r.line, r.outcome, r.reason, r.detail) for r in plan.reports]
    assert outcomes == [
        (2, Outcome.UNCHANGED, "", ""),
        (3, Outcome.UPDATED, "", ""),
        (4, Outcome.CREATED, "", ""),
        (5, Outcome.REJECTED, "duplicate", "4"),
        (6, Outcome.REJECTED, "empty", "structure"),
        (7, Outcome.REJECTED, "too_long", "role"),
        (8, Outcome.REJECTED, "member_card", ""),
    ]
    assert [card["structure"] for card in plan.cards] == ["MFS Crest", "Nouvelle"]


async def test_confirming_writes_all_or_nothing(services: Services) -> None:
    directory = services.directory
    data = b"Structure;Territoire\nA;X\nB;Y\n"
    token, plan = await directory.check_import(900, "a.csv", data)
    assert plan.count(Outcome.CREATED) == 2
    assert await directory.confirm_import(900, "wrong") is None
    assert await directory.confirm_import(901, token) is None
    assert not await directory.all_cards()
    assert await directory.confirm_import(900, token) == 2
    assert await directory.confirm_import(900, token) is None  # used once
    assert len(await directory.all_cards()) == 2


async def test_a_failing_write_leaves_nothing_half_imported(services: Services) -> None:
    directory = services.directory
    data = b"Structure;Territoire\nA;X\nB;Y\nC;Z\n"
    token, _ = await directory.check_import(900, "a.csv", data)
    # the second row breaks a NOT NULL constraint once the first is already written
    await services.db.execute(
        "UPDATE directory_imports SET rows = json_set(rows, '$[1].name', null)"
    )
    with pytest.raises(sqlite3.IntegrityError):
        await directory.confirm_import(900, token)
    assert not await directory.all_cards()
    _, page = await directory.search("a")
    assert page.total == 0


def test_an_xlsx_unpacking_to_too_much_is_refused_before_reading() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNZIPPED_BYTES + 1))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(SpreadsheetError) as refused:
        read_sheet("bombe.xlsx", buffer.getvalue())
    assert refused.value.code == "too_big"


def test_an_xlsx_with_a_broken_sheet_is_refused() -> None:
    good = zipfile.ZipFile(io.BytesIO(_xlsx([["Structure", "Territoire"], ["A", "B"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as broken:
        for info in good.infolist():
            content = good.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            broken.writestr(info.filename, content)
    with pytest.raises(SpreadsheetError) as refused:
        read_sheet("a.xlsx", buffer.getvalue())
    assert refused.value.code == "not_spreadsheet"
