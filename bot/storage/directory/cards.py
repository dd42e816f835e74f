"""SQL for the directory's cards, their full-text index (FTS5) and territory counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.directory.card import CARD_FIELDS, Card, CardSource, fold, match_key
from bot.storage.db import Database, Transaction

_COLUMNS = f"id, user_id, source, {', '.join(CARD_FIELDS)}, telegram_link, updated_at, consented_at"
_PREFIXED = ", ".join(f"c.{name.strip()}" for name in _COLUMNS.split(","))


@dataclass(frozen=True)
class TerritoryCount:
    """A territory (cards grouped by its folded name): its key, a label and its cards."""

    key: str
    label: str
    count: int


def _card(row: aiosqlite.Row) -> Card:
    return Card(
        id=row["id"],
        user_id=row["user_id"],
        source=CardSource(row["source"]),
        **{field: row[field] for field in CARD_FIELDS},
        telegram_link=bool(row["telegram_link"]),
        updated_at=from_iso(row["updated_at"]),
        consented_at=from_iso(row["consented_at"]) if row["consented_at"] else None,
    )


def _keys(values: dict[str, str]) -> tuple[str, str]:
    return match_key(values["structure"], values["territory"]), fold(values["territory"])


class CardStore:
    """Reads and writes the cards; the FTS index follows through triggers."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def of_member(self, user_id: int) -> Card | None:
        """The member's own card."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM directory_cards WHERE user_id = ?", (user_id,)
        )
        return _card(row) if row else None

    async def get(self, card_id: int) -> Card | None:
        """One card by id."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM directory_cards WHERE id = ?", (card_id,)
        )
        return _card(row) if row else None

    async def publish(self, user_id: int, values: dict[str, str], at: datetime) -> None:
        """Create the member's card; an imported card of the same structure goes (absorbed)."""
        key, territory_key = _keys(values)
        async with self._db.transaction() as tx:
            await _absorb(tx, key)
            await tx.execute(
                "INSERT INTO directory_cards (user_id, source, match_key, territory_key,"
                f" {', '.join(CARD_FIELDS)}, consented_at, created_at, updated_at)"
                f" VALUES (?, 'member', ?, ?, {', '.join('?' for _ in CARD_FIELDS)}, ?, ?, ?)",
                (user_id, key, territory_key, *(values[f] for f in CARD_FIELDS), *[to_iso(at)] * 3),
            )

    async def update_member_card(self, user_id: int, values: dict[str, str], at: datetime) -> None:
        """Rewrite the member's card fields (absorbing an imported card it now matches)."""
        key, territory_key = _keys(values)
        assignments = ", ".join(f"{field} = ?" for field in CARD_FIELDS)
        async with self._db.transaction() as tx:
            await _absorb(tx, key)
            await tx.execute(
                f"UPDATE directory_cards SET {assignments}, match_key = ?, territory_key = ?,"
                " updated_at = ? WHERE user_id = ?",
                (*(values[f] for f in CARD_FIELDS), key, territory_key, to_iso(at), user_id),
            )

    async def set_telegram_link(self, user_id: int, allowed: bool, at: datetime) -> None:
        """Whether the card shows a link to the member on Telegram."""
        await self._db.execute(
            "UPDATE directory_cards SET telegram_link = ?, updated_at = ? WHERE user_id = ?",
            (int(allowed), to_iso(at), user_id),
        )

    async def withdraw(self, user_id: int) -> bool:
        """Delete the member's card and purge its words from the index; False if none."""
        changed = await self._db.execute(
            "DELETE FROM directory_cards WHERE user_id = ?", (user_id,)
        )
        if changed:
            await self._db.execute("INSERT INTO directory_fts (directory_fts) VALUES ('optimize')")
        return bool(changed)

    async def search(self, query: str, limit: int, offset: int) -> tuple[int, list[Card]]:
        """Cards matching an FTS5 query (built from safe terms only): total and one page.

        Like a phone book, by structure (folded: accents and case ignored), then name: every
        result holds every word, and ranking them (bm25) cost 4 to 6 ms over thousands of
        matches against 2 ms for this order (bench/directory.py).
        """
        count = await self._db.fetchone(
            "SELECT count(*) AS n FROM directory_fts WHERE directory_fts MATCH ?", (query,)
        )
        rows = await self._db.fetchall(
            f"SELECT {_PREFIXED} FROM directory_fts f JOIN directory_cards c ON c.id = f.rowid"
            " WHERE directory_fts MATCH ? ORDER BY c.match_key, c.name, c.id LIMIT ? OFFSET ?",
            (query, limit, offset),
        )
        return (count["n"] if count else 0), [_card(row) for row in rows]

    async def territories(self) -> list[TerritoryCount]:
        """Territories with their number of cards, the most common spelling as label."""
        rows = await self._db.fetchall(
            "SELECT territory_key, count(*) AS n,"
            " (SELECT territory FROM directory_cards d WHERE d.territory_key = c.territory_key"
            "  GROUP BY territory ORDER BY count(*) DESC, territory LIMIT 1) AS label"
            " FROM directory_cards c GROUP BY territory_key ORDER BY n DESC, territory_key"
        )
        return [TerritoryCount(r["territory_key"], r["label"], r["n"]) for r in rows]

    async def in_territory(self, key: str, limit: int, offset: int) -> list[Card]:
        """One page of a territory's cards, by structure."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM directory_cards WHERE territory_key = ?"
            " ORDER BY match_key, name, id LIMIT ? OFFSET ?",
            (key, limit, offset),
        )
        return [_card(row) for row in rows]

    async def all_cards(self) -> list[Card]:
        """Every card, by territory then structure (exports)."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM directory_cards ORDER BY territory_key, structure, id"
        )
        return [_card(row) for row in rows]

    async def imported_by_key(self) -> dict[str, Card]:
        """Imported cards by their structure-and-territory key."""
        rows = await self._db.fetchall(
            f"SELECT match_key, {_COLUMNS} FROM directory_cards WHERE source = 'import'"
        )
        return {row["match_key"]: _card(row) for row in rows}

    async def member_keys(self) -> set[str]:
        """The structure-and-territory keys of the members' own cards."""
        rows = await self._db.fetchall(
            "SELECT match_key FROM directory_cards WHERE source = 'member'"
        )
        return {row["match_key"] for row in rows}

    async def apply_import(self, cards: Sequence[dict[str, str]], at: datetime) -> None:
        """Create or update imported cards, all in one transaction (all or nothing)."""
        names = ", ".join(CARD_FIELDS)
        updates = ", ".join(f"{field} = excluded.{field}" for field in CARD_FIELDS)
        stamp = to_iso(at)
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO directory_cards (source, match_key, territory_key,"
                f" {names}, created_at, updated_at)"
                f" VALUES ('import', ?, ?, {', '.join('?' for _ in CARD_FIELDS)}, ?, ?)"
                " ON CONFLICT (match_key) WHERE source = 'import' DO UPDATE SET"
                f" {updates}, territory_key = excluded.territory_key,"
                " updated_at = excluded.updated_at",
                [(*_keys(card), *(card[f] for f in CARD_FIELDS), stamp, stamp) for card in cards],
            )


async def _absorb(tx: Transaction, key: str) -> None:
    """Drop the imported card a member's own card now stands for."""
    await tx.execute(
        "DELETE FROM directory_cards WHERE source = 'import' AND match_key = ?", (key,)
    )
