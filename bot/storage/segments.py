"""SQL for segments: registered members selected by one profile field."""

from __future__ import annotations

from bot.storage.db import Database

_FIELDS = frozenset({"territory", "organisation", "role"})


def _column(field: str) -> str:
    if field not in _FIELDS:
        raise ValueError(f"not a segment field: {field}")
    return field


class SegmentStore:
    """Reads registered members by territory, organisation or role."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def registered_ids(self) -> list[int]:
        """Every registered member."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM members WHERE registered_at IS NOT NULL ORDER BY user_id"
        )
        return [row["user_id"] for row in rows]

    async def ids_where(self, field: str, value: str) -> list[int]:
        """Registered members whose ``field`` equals ``value``."""
        rows = await self._db.fetchall(
            f"SELECT user_id FROM members WHERE registered_at IS NOT NULL AND {_column(field)} = ?"
            " ORDER BY user_id",
            (value,),
        )
        return [row["user_id"] for row in rows]

    async def value_counts(self, field: str) -> list[tuple[str, int]]:
        """Each non-empty value of ``field`` among registered members, with its count."""
        column = _column(field)
        rows = await self._db.fetchall(
            f"SELECT {column} AS value, COUNT(*) AS n FROM members"
            f" WHERE registered_at IS NOT NULL AND {column} IS NOT NULL AND {column} != ''"
            f" GROUP BY {column} ORDER BY {column}",
        )
        return [(row["value"], row["n"]) for row in rows]
