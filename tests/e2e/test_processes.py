"""The real commands as separate processes: `maillage sandbox` + `maillage run`, and the demo."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.sandbox import DEFAULT_TOKEN, SandboxClient

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _spawn(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None):
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_run_serves_members_of_a_separately_started_sandbox(tmp_path: Path) -> None:
    port = _free_port()
    sandbox = await _spawn("sandbox", "--port", str(port))
    bot = None
    try:
        ready = (await asyncio.wait_for(sandbox.stdout.readline(), 20)).decode()
        assert "sandbox ready" in ready and f"token={DEFAULT_TOKEN}" in ready
        bot = await _spawn(
            "-v",
            "run",
            env={
                "MAILLAGE_API_URL": f"http://127.0.0.1:{port}/bot",
                "MAILLAGE_BOT_TOKEN": DEFAULT_TOKEN,
                "MAILLAGE_DB": str(tmp_path / "run.db"),
                "MAILLAGE_NETWORK_NAME": "Réseau ADRETS",
            },
        )
        async with SandboxClient(f"http://127.0.0.1:{port}/_sandbox") as client:
            lea = await client.add_user(4242, "Léa", language_code="fr")
            await lea.send("/start")
            await lea.expect("Bonjour Léa", timeout=20)
            await lea.expect("Acceptez-vous ces conditions")
            await lea.tap("✅ J’accepte")
            await lea.expect("Quel nom")
        bot.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bot.wait(), 20) == 0
        log = (await bot.stderr.read()).decode()
        assert "maillage is running (long polling)" in log
        assert "maillage stopped" in log
        # Verbose mode logs every request URL (which embeds the token), redacted.
        assert f"127.0.0.1:{port}/bot<redacted>/getUpdates" in log
        assert DEFAULT_TOKEN not in log
        assert DEFAULT_TOKEN.split(":")[1] not in log
    finally:
        for process in (bot, sandbox):
            if process is not None and process.returncode is None:
                process.kill()
                await process.wait()


async def test_demo_console_lets_a_person_register_in_french_and_in_english(tmp_path: Path) -> None:
    script = "\n".join(
        [
            ":as Chloé",
            "/start",
            "1",
            "Chloé Durand",
            "France Services de Crest",
            "Drôme",
            "Agente d'accueil",
            "5",
            ":as Emma",
            "/start",
            "1",
            "Emma Stone",
            "Maison France Services Lyon",
            "Rhône",
            "Project manager",
            "5",
            ":quit",
        ]
    )
    demo = await _spawn("demo", "--data", str(tmp_path / "demo"), stdin=script.encode() + b"\n")
    stdout, stderr = await asyncio.wait_for(demo.communicate(script.encode() + b"\n"), 120)
    output = stdout.decode()
    assert demo.returncode == 0, stderr.decode()
    assert "Bienvenue dans le réseau France Services Drôme-Ardèche (démo)" in output
    assert "Welcome to the France Services Drôme-Ardèche (démo) network!" in output
    assert "Fonction : Agente d'accueil" in output


@pytest.mark.parametrize(
    ("variable", "value", "line"),
    [("MAILLAGE_TIMEZONE", "Europe/Pari", "MAILLAGE_TIMEZONE: unknown time zone 'Europe/Pari'")],
)
async def test_invalid_setting_stops_start_up_with_one_line(
    variable: str, value: str, line: str
) -> None:
    process = await _spawn("run", env={variable: value, "MAILLAGE_BOT_TOKEN": DEFAULT_TOKEN})
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert stderr.decode().strip() == line


async def test_migrate_then_backup_commands(tmp_path: Path) -> None:
    env = {"MAILLAGE_DB": str(tmp_path / "live.db")}
    migrate = await _spawn("migrate", env=env)
    out, _ = await asyncio.wait_for(migrate.communicate(), 30)
    assert migrate.returncode == 0
    assert out.decode().startswith("applied: 0001_members")
    again = await _spawn("migrate", env=env)
    out, _ = await asyncio.wait_for(again.communicate(), 30)
    assert out.decode().strip() == "applied: nothing, already up to date"
    backup = await _spawn("backup", str(tmp_path / "copy.db"), env=env)
    out, _ = await asyncio.wait_for(backup.communicate(), 30)
    assert backup.returncode == 0
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        names = [row[0] for row in copy.execute("SELECT name FROM schema_migrations")]
    assert names[0] == "0001_members"
