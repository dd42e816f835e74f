"""Scan every column of every table of the bot's database for traces of one person.

Integer columns are compared for equality with the person's id (an id can legitimately
appear as another number elsewhere, so only whole values count); text columns are searched
for each needle as typed, JSON-escaped and HTML-escaped, and inside JSON documents and the
base64 attachments they carry (a calendar file quoting a title), case-insensitively and
squeezed to letters and digits (a normalised key such as a topic's duplicate check).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html
import json
import sqlite3
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from bot.storage.db import Database


@dataclass(frozen=True)
class Hit:
    """One trace: where, and what was found."""

    table: str
    column: str
    rowid: int
    found: str

    def __str__(self) -> str:
        return f"{self.table}.{self.column} (rowid {self.rowid}): {self.found}"


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON value (keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _decoded(text: str) -> Iterator[str]:
    """The text, the strings of the JSON it holds and the base64 payloads they carry."""
    yield text
    try:
        document = json.loads(text)
    except ValueError:
        return
    for inner in _strings(document):
        yield inner
        if len(inner) >= 16 and len(inner) % 4 == 0:
            with contextlib.suppress(binascii.Error, ValueError):
                yield base64.b64decode(inner, validate=True).decode("utf-8", "replace")


def squeezed(text: str) -> str:
    """Letters and digits only, without accents, lower case (catches normalised copies)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def _variants(needle: str) -> set[str]:
    return {
        needle.casefold(),
        html.escape(needle).casefold(),
        json.dumps(needle)[1:-1].casefold(),
    }


async def scan(db: Database, user_id: int, needles: Sequence[str]) -> list[Hit]:
    """Every cell of every table that holds ``user_id`` (whole value) or one of ``needles``."""
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    variants = {needle: _variants(needle) | {squeezed(needle)} for needle in needles}
    hits: list[Hit] = []
    for table in (row["name"] for row in tables):
        columns = [row["name"] for row in await db.fetchall(f"PRAGMA table_info('{table}')")]
        try:
            rows = await db.fetchall(f'SELECT rowid AS _rowid_, * FROM "{table}"')
        except sqlite3.OperationalError:  # a WITHOUT ROWID table (FTS5's config and index)
            rows = await db.fetchall(f'SELECT 0 AS _rowid_, * FROM "{table}"')
        for row in rows:
            for column in columns:
                value = row[column]
                if isinstance(value, bool | int) and value == user_id:
                    hits.append(Hit(table, column, row["_rowid_"], str(user_id)))
                elif isinstance(value, str):
                    texts = [piece.casefold() for piece in _decoded(value)]
                    texts += [squeezed(piece) for piece in _decoded(value)]
                    if str(user_id) in value:
                        hits.append(Hit(table, column, row["_rowid_"], f"text {user_id}"))
                    for needle, forms in variants.items():
                        if any(form in text for form in forms for text in texts):
                            hits.append(Hit(table, column, row["_rowid_"], needle))
    return hits
