import sqlite3
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.storage.db import Database
from bot.storage.migrations import MIGRATIONS, applied_migrations, migrate


async def test_empty_database_to_latest_then_nothing_more(
    tmp_path: Path, clock: FrozenClock
) -> None:
    db = await Database.open(tmp_path / "m.db")
    try:
        first = await migrate(db, clock)
        assert first == [m.name for m in MIGRATIONS]
        schema_before = await db.fetchall("SELECT sql FROM sqlite_master ORDER BY name")
        assert await migrate(db, clock) == []
        schema_after = await db.fetchall("SELECT sql FROM sqlite_master ORDER BY name")
        assert [tuple(r) for r in schema_before] == [tuple(r) for r in schema_after]
        assert await applied_migrations(db) == [m.name for m in MIGRATIONS]
    finally:
        await db.close()


async def test_pragmas_are_set(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "p.db")
    try:
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetchone("PRAGMA synchronous"))[0] == 1  # NORMAL
        assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000
    finally:
        await db.close()


async def _insert_two_rows_second_invalid(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO t VALUES (1)")
        await tx.execute("INSERT INTO t VALUES (NULL)")


async def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "t.db")
    try:
        await db.execute("CREATE TABLE t (x INTEGER NOT NULL)")
        with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
            await _insert_two_rows_second_invalid(db)
        assert (await db.fetchone("SELECT COUNT(*) FROM t"))[0] == 0
    finally:
        await db.close()


async def test_backup_copies_the_live_database(tmp_path: Path, clock: FrozenClock) -> None:
    db = await Database.open(tmp_path / "live.db")
    try:
        await migrate(db, clock)
        await db.backup_to(tmp_path / "copy.db")
    finally:
        await db.close()
    copy = await Database.open(tmp_path / "copy.db")
    try:
        assert await applied_migrations(copy) == [m.name for m in MIGRATIONS]
    finally:
        await copy.close()
