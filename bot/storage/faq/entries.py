"""SQL for themes and entries, kept in order, and the FTS5 index of their plain text."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.clock import to_iso
from bot.domain.faq.model import Entry, Theme, Version
from bot.storage.db import Database, Transaction

_COLUMNS = ("id", "theme_id", "position", "question_fr", "answer_fr", "question_en", "answer_en")
_ENTRY = ", ".join(_COLUMNS)
QUESTION_WEIGHT = 4.0
"""A word found in a question counts as much as in four answers (``bm25`` ranking)."""


def _version(row: aiosqlite.Row, language: str) -> Version | None:
    question = row[f"question_{language}"]
    return Version(question, row[f"answer_{language}"]) if question is not None else None


def _entry(row: aiosqlite.Row) -> Entry:
    return Entry(
        row["id"], row["theme_id"], row["position"], _version(row, "fr"), _version(row, "en")
    )


def _theme(row: aiosqlite.Row) -> Theme:
    return Theme(row["id"], row["name_fr"], row["name_en"], row["position"])


def _columns(fr: Version | None, en: Version | None) -> tuple[str | None, ...]:
    return tuple(
        value
        for version in (fr, en)
        for value in ((version.question, version.answer) if version else (None, None))
    )


class EntryStore:
    """Reads and writes themes, entries and the search index in step."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- themes -----------------------------------------------------------------------------

    async def themes(self) -> list[Theme]:
        """Every theme, in order."""
        rows = await self._db.fetchall(
            "SELECT id, name_fr, name_en, position FROM faq_themes ORDER BY position, id"
        )
        return [_theme(row) for row in rows]

    async def theme(self, theme_id: int) -> Theme | None:
        """One theme."""
        row = await self._db.fetchone(
            "SELECT id, name_fr, name_en, position FROM faq_themes WHERE id = ?", (theme_id,)
        )
        return _theme(row) if row else None

    async def add_theme(self, name_fr: str, name_en: str) -> Theme:
        """A new theme, last."""
        async with self._db.transaction() as tx:
            theme_id = await tx.insert(
                "INSERT INTO faq_themes (name_fr, name_en, position)"
                " SELECT ?, ?, COALESCE(MAX(position), 0) + 1 FROM faq_themes",
                (name_fr, name_en),
            )
        theme = await self.theme(theme_id)
        assert theme is not None
        return theme

    async def counts(self) -> dict[int, int]:
        """How many entries each theme has."""
        rows = await self._db.fetchall(
            "SELECT theme_id, COUNT(*) AS n FROM faq_entries GROUP BY theme_id"
        )
        return {row["theme_id"]: row["n"] for row in rows}

    # -- entries ----------------------------------------------------------------------------

    async def entries(self, theme_id: int) -> list[Entry]:
        """A theme's entries, in order."""
        rows = await self._db.fetchall(
            f"SELECT {_ENTRY} FROM faq_entries WHERE theme_id = ? ORDER BY position, id",
            (theme_id,),
        )
        return [_entry(row) for row in rows]

    async def entry(self, entry_id: int) -> Entry | None:
        """One entry."""
        row = await self._db.fetchone(f"SELECT {_ENTRY} FROM faq_entries WHERE id = ?", (entry_id,))
        return _entry(row) if row else None

    async def count(self) -> int:
        """How many entries the FAQ has."""
        row = await self._db.fetchone("SELECT COUNT(*) AS n FROM faq_entries")
        return row["n"] if row else 0

    async def add(
        self,
        theme_id: int,
        fr: Version | None,
        en: Version | None,
        search: tuple[str, str],
        now: datetime,
    ) -> int:
        """A new entry, last of its theme, and its index row; its id."""
        async with self._db.transaction() as tx:
            entry_id = await tx.insert(
                "INSERT INTO faq_entries (theme_id, position, question_fr, answer_fr,"
                " question_en, answer_en, created_at, updated_at)"
                " SELECT ?, COALESCE(MAX(position), 0) + 1, ?, ?, ?, ?, ?, ?"
                " FROM faq_entries WHERE theme_id = ?",
                (theme_id, *_columns(fr, en), to_iso(now), to_iso(now), theme_id),
            )
            await _index(tx, entry_id, search)
        return entry_id

    async def update(
        self,
        entry_id: int,
        fr: Version | None,
        en: Version | None,
        search: tuple[str, str],
        now: datetime,
    ) -> bool:
        """Replace an entry's texts and its index row; False if it is gone."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE faq_entries SET question_fr = ?, answer_fr = ?, question_en = ?,"
                " answer_en = ?, updated_at = ? WHERE id = ?",
                (*_columns(fr, en), to_iso(now), entry_id),
            )
            if changed:
                await _index(tx, entry_id, search)
        return bool(changed)

    async def move_to_theme(self, entry_id: int, theme_id: int, now: datetime) -> bool:
        """Put an entry last in another theme; False if it is gone."""
        return bool(
            await self._db.execute(
                "UPDATE faq_entries SET theme_id = ?, updated_at = ?, position ="
                " (SELECT COALESCE(MAX(position), 0) + 1 FROM faq_entries WHERE theme_id = ?)"
                " WHERE id = ?",
                (theme_id, to_iso(now), theme_id, entry_id),
            )
        )

    async def swap(self, entry_id: int, seen_position: int, step: int) -> bool:
        """Swap an entry with its neighbour (``step`` -1 up, +1 down) in its theme.

        False if the entry is gone, is no longer at the position the animator saw, or has
        no neighbour that way.
        """
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT theme_id, position FROM faq_entries WHERE id = ?", (entry_id,)
            )
            if row is None or row["position"] != seen_position:
                return False
            order = "DESC" if step < 0 else "ASC"
            compare = "<" if step < 0 else ">"
            other = await tx.fetchone(
                f"SELECT id, position FROM faq_entries WHERE theme_id = ?"
                f" AND position {compare} ? ORDER BY position {order} LIMIT 1",
                (row["theme_id"], row["position"]),
            )
            if other is None:
                return False
            await tx.execute(
                "UPDATE faq_entries SET position = ? WHERE id = ?", (other["position"], entry_id)
            )
            await tx.execute(
                "UPDATE faq_entries SET position = ? WHERE id = ?", (row["position"], other["id"])
            )
        return True

    async def delete(self, entry_id: int) -> bool:
        """Remove an entry and its index row; False if it was already gone."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM faq_search WHERE rowid = ?", (entry_id,))
            return bool(await tx.execute("DELETE FROM faq_entries WHERE id = ?", (entry_id,)))

    async def search(self, expression: str, limit: int) -> list[Entry]:
        """The entries matching an FTS5 expression, best first (questions weigh more)."""
        rows = await self._db.fetchall(
            f"SELECT {', '.join(f'e.{column}' for column in _COLUMNS)}"
            " FROM faq_search JOIN faq_entries AS e ON e.id = faq_search.rowid"
            " WHERE faq_search MATCH ? ORDER BY bm25(faq_search, ?, 1.0), e.id LIMIT ?",
            (expression, QUESTION_WEIGHT, limit),
        )
        return [_entry(row) for row in rows]


async def _index(tx: Transaction, entry_id: int, search: tuple[str, str]) -> None:
    """Write the entry's plain text (its questions, its answers) to the search index."""
    await tx.execute("DELETE FROM faq_search WHERE rowid = ?", (entry_id,))
    await tx.execute(
        "INSERT INTO faq_search (rowid, question, answer) VALUES (?, ?, ?)", (entry_id, *search)
    )
