"""Reading an animator's spreadsheet (CSV or .xlsx) within size and row limits.

CSV in UTF-8, UTF-8 with BOM or cp1252, ``;`` or ``,`` separated; .xlsx through openpyxl
in read-only mode, formulas never evaluated: without ``data_only`` a formula cell hands
its formula, and its row is rejected naming the column (its cached value could be stale
or absent, so it is not taken). Headers are matched in French or English, accents and
case ignored.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook

from bot.domain.directory.card import REQUIRED_FIELDS, fold

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
"""An .xlsx is a zip: what it would unpack to is bounded too (no zip bomb)."""
MAX_ROWS = 10_000
FORMULA = object()
"""The cell value standing for a formula (never evaluated)."""

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "nom",
        "name",
        "nom prenom",
        "prenom nom",
        "nom du contact",
        "referent",
        "contact name",
    ),
    "structure": (
        "structure",
        "organisation",
        "organization",
        "organisme",
        "etablissement",
        "nom de la structure",
    ),
    "territory": ("territoire", "territory", "departement", "commune", "ville", "region", "area"),
    "role": ("fonction", "role", "function", "poste", "job title"),
    "skills": (
        "competences",
        "competence",
        "skills",
        "services",
        "services proposes",
        "offre de services",
        "services offered",
    ),
    "contact": ("contact", "courriel", "email", "e mail", "mail", "telephone", "phone"),
}


class SpreadsheetError(ValueError):
    """The file cannot be imported at all; ``code`` names the catalog message."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class SheetRow:
    """One data row: its line number in the file and its cells by card field."""

    line: int
    cells: dict[str, object]


@dataclass(frozen=True)
class Sheet:
    """The columns recognised and the data rows (blank rows skipped)."""

    columns: tuple[str, ...]
    rows: tuple[SheetRow, ...]


def read_sheet(name: str, data: bytes) -> Sheet:
    """The rows of a CSV or .xlsx file; SpreadsheetError when it cannot be imported."""
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetError("too_big", str(MAX_FILE_BYTES // (1024 * 1024)))
    if data.startswith(b"PK\x03\x04"):
        return _from_rows(_xlsx_rows(data))
    if name.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise SpreadsheetError("not_spreadsheet")
    return _from_rows(_csv_rows(_decode(data)))


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1252; UTF-16 and binary content are refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpreadsheetError("encoding")
    if b"\x00" in data:
        raise SpreadsheetError("not_spreadsheet")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise SpreadsheetError("encoding") from None


def _csv_rows(text: str) -> Iterator[list[object]]:
    """The CSV's rows, ``;`` or ``,`` chosen from the header line."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise SpreadsheetError("not_spreadsheet", str(error)) from None


def _xlsx_rows(data: bytes) -> Iterator[list[object]]:
    """The first sheet's rows, streamed; formula cells become ``FORMULA``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise SpreadsheetError("not_spreadsheet", str(error)) from None
    if unpacked > MAX_UNZIPPED_BYTES:
        raise SpreadsheetError("too_big", str(MAX_FILE_BYTES // (1024 * 1024)))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise SpreadsheetError("not_spreadsheet", str(error)) from None
    try:
        for row in book.worksheets[0].iter_rows():
            yield [
                FORMULA if getattr(cell, "data_type", None) == "f" else cell.value for cell in row
            ]
    except (IndexError, KeyError, TypeError, ValueError, SyntaxError) as error:
        raise SpreadsheetError("not_spreadsheet", str(error)) from None  # e.g. broken XML
    finally:
        book.close()


def _columns(header: list[object]) -> dict[int, str]:
    """Card field by column index, from the header's titles."""
    found: dict[int, str] = {}
    for index, title in enumerate(header):
        key = fold(str(title)) if isinstance(title, str) else ""
        for field, aliases in HEADER_ALIASES.items():
            if key in aliases and field not in found.values():
                found[index] = field
    return found


def _from_rows(rows: Iterator[list[object]]) -> Sheet:
    """Map the header, then keep non-blank rows up to ``MAX_ROWS`` (more: refused)."""
    header = next(rows, None)
    if header is None:
        raise SpreadsheetError("empty")
    columns = _columns(header)
    missing = [field for field in REQUIRED_FIELDS if field not in columns.values()]
    if missing:
        raise SpreadsheetError("missing_columns", ", ".join(missing))
    kept: list[SheetRow] = []
    for line, row in enumerate(rows, start=2):
        cells = {field: row[i] for i, field in columns.items() if i < len(row)}
        if all(value is None or str(value).strip() == "" for value in cells.values()):
            continue
        if len(kept) == MAX_ROWS:
            raise SpreadsheetError("too_many_rows", str(MAX_ROWS))
        kept.append(SheetRow(line, cells))
    if not kept:
        raise SpreadsheetError("empty")
    return Sheet(tuple(columns.values()), tuple(kept))
