"""Retention end to end: the daily job on the running bot, and ``maillage purge`` as a process."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from bot.clock import FrozenClock, SystemClock
from bot.config import Settings
from bot.domain.members import Role
from bot.services import Services
from bot.storage.db import Database
from bot.storage.migrations import MIGRATIONS, migrate
from tests.e2e.conftest import Network

REPO = Path(__file__).resolve().parents[2]


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


async def test_the_daily_purge_runs_once_through_the_scheduler_and_after_a_restart(
    clocked_network: Network, caplog: pytest.LogCaptureFixture
) -> None:
    network = clocked_network
    paul = network.newcomer("Paul")
    await paul.send("/start")
    await paul.expect("Acceptez-vous")
    await paul.tap("Je refuse")
    await paul.expect("je n’ai rien enregistré de vous")
    bruno = await network.member("Bruno")
    await bruno.send("/sessions")
    await bruno.expect("réservée à l’équipe d’animation")
    db = network.settings.db_path
    assert _count(db, "consent_refusals") == 1
    audited = _count(db, "audit_log")
    assert audited >= 1

    caplog.set_level(logging.INFO, logger="bot.domain.retention")
    assert isinstance(network.clock, FrozenClock)
    later = network.clock.now() + relativedelta(months=25)
    ran = await network.reach(later)

    assert ran.count("retention:daily") == 1
    assert _count(db, "consent_refusals") == 0 and _count(db, "audit_log") == 0
    assert "consent_refusals=1" in caplog.text and f"audit_log={audited}" in caplog.text
    # Bruno, registered, stays; a recent refusal stays.
    assert await network.services.members.get(bruno.user_id) is not None
    await network.services.members.refuse_privacy(4242)

    await network.restart()  # today's purge is done: the restart does not repeat it
    assert "retention:daily" not in await network.reach(later + timedelta(hours=1))
    next_day = await network.reach(later + timedelta(days=1))
    assert next_day.count("retention:daily") == 1
    assert _count(db, "consent_refusals") == 1
    runs = sqlite3.connect(db).execute("SELECT trigger FROM retention_runs").fetchall()
    assert runs == [("daily",), ("daily",)]


async def _purge(db: Path, *args: str, **env: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "purge",
        *args,
        cwd=REPO,
        env={**os.environ, "MAILLAGE_DB": str(db), "MAILLAGE_TIMEZONE": "Europe/Paris", **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def _seed(settings: Settings, at: datetime, user_ids: range) -> None:
    """Refusals and audited refusals written at ``at``."""
    services = await Services.open(settings, FrozenClock(at))
    try:
        for user_id in user_ids:
            await services.members.refuse_privacy(user_id)
            await services.members.authorise(user_id, Role.ANIMATOR, "visio_settings")
    finally:
        await services.close()


async def test_purge_command_shows_then_removes_what_is_past_retention(
    settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "purge.db"
    configured = replace(settings, db_path=db)
    await _seed(configured, datetime(2020, 1, 6, 9, tzinfo=UTC), range(1, 4))  # old
    await _seed(configured, SystemClock().now() - timedelta(days=1), range(10, 12))  # recent
    assert (_count(db, "consent_refusals"), _count(db, "audit_log")) == (5, 5)

    code, out, err = await _purge(db, "--dry-run")

    assert code == 0, err
    lines = out.splitlines()
    cutoff = (SystemClock().now() - relativedelta(months=24)).astimezone(settings.timezone)
    assert lines[0].startswith(f"retention: 24 months, cutoff {cutoff:%Y-%m-%d}")
    assert lines[0].endswith("(Europe/Paris)")
    figures = {line.split()[0]: int(line.split()[1]) for line in lines[1:-1]}
    assert figures["consent_refusals"] == 3 and figures["audit_log"] == 3
    assert figures["deliveries"] == 0 and figures["total"] == 6
    [unlinked] = [line for line in lines if line.split()[0] == "diagnostic_responses"]
    assert unlinked.endswith("(unlinked from members)")
    assert not any("unlinked" in line for line in lines if "consent_refusals" in line)
    assert lines[-1] == "dry run: nothing was changed"
    assert (_count(db, "consent_refusals"), _count(db, "audit_log")) == (5, 5)
    assert _count(db, "retention_runs") == 0

    # A longer period reaches nothing; a bad one is refused before anything is opened.
    code, out, _ = await _purge(db, "--dry-run", "--months", "120")
    assert code == 0 and "total" in out and out.splitlines()[-2].split() == ["total", "0"]
    code, _, err = await _purge(db, "--months", "0")
    assert code == 2 and "a whole number of months from 1 to 1200 (got '0')" in err
    code, _, err = await _purge(db, MAILLAGE_RETENTION_MONTHS="-1")
    assert code == 2 and err.strip().startswith("MAILLAGE_RETENTION_MONTHS:")
    assert len(err.strip().splitlines()) == 1

    code, out, err = await _purge(db)

    assert code == 0, err
    assert out.splitlines()[-1] == "purged"
    assert "retention purge: deliveries=0, audit_log=3, consent_refusals=3" in err  # the log
    assert (_count(db, "consent_refusals"), _count(db, "audit_log")) == (2, 2)
    with sqlite3.connect(db) as connection:
        kept = {row[0] for row in connection.execute("SELECT user_id FROM consent_refusals")}
    assert kept == {10, 11}
    code, out, _ = await _purge(db)
    assert code == 0 and out.splitlines()[-2].split() == ["total", "0"]


async def test_purge_command_refuses_a_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    code, out, err = await _purge(missing, "--dry-run")
    assert code == 2 and out == ""
    assert err.strip() == f"MAILLAGE_DB: no database at {str(missing)!r}"
    assert not missing.exists()  # a dry run creates nothing


async def test_purge_command_asks_for_the_migration_first(tmp_path: Path) -> None:
    older = tmp_path / "older.db"
    db = await Database.open(older)
    try:
        before = tuple(m for m in MIGRATIONS if m.name != "0013_retention")
        await migrate(db, SystemClock(), before)  # a database from before retention
    finally:
        await db.close()
    for args in (("--dry-run",), ()):
        code, out, err = await _purge(older, *args)
        assert code == 2 and out == ""
        assert err.strip() == "MAILLAGE_DB: schema not up to date, run `maillage migrate` first"
    with sqlite3.connect(older) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "retention_runs" not in tables
