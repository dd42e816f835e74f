"""Spreadsheets an animator might send: CSV in several encodings and .xlsx workbooks."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

HEADER_FR = ("Nom", "Structure", "Territoire", "Fonction", "Compétences", "Courriel")
ROWS: tuple[tuple[str, ...], ...] = (
    ("Léa Martin", "France Services Nyons", "Drôme", "Agente", "CAF, impôts", "lea@ex.org"),
    ("", "Mairie de Crest", "Drôme", "", "État civil", ""),
    ("Paul Roche", "MSAP Aubenas", "Ardèche", "Conseiller", "Numérique", "paul@ex.org"),
)


def csv_bytes(
    rows: Sequence[Sequence[str]],
    header: Sequence[str] = HEADER_FR,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
) -> bytes:
    """A CSV file as a spreadsheet program would save it (cells quoted when needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER_FR) -> bytes:
    """An .xlsx workbook; a cell text starting with '=' is stored as a formula."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
