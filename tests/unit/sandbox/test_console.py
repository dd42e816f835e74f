"""The interactive console, driven with piped input."""

import io
from pathlib import Path

from bot.sandbox import Sandbox
from bot.sandbox.console import STRINGS, Persona, run_console
from tests.unit.sandbox.echo_bot import running_echo_bot

PERSONAS = [
    Persona(5001, "Alice", "fr", "animatrice"),
    Persona(5002, "Bruno", "fr", "membre"),
]


def saved_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*rapport.txt"))


async def play(sandbox: Sandbox, tmp_path: Path, lines: list[str], lang: str = "fr") -> str:
    stdout = io.StringIO()
    async with running_echo_bot(sandbox):
        await run_console(
            sandbox.control_url,
            PERSONAS,
            tmp_path,
            io.StringIO("\n".join(lines) + "\n"),
            stdout,
            lang=lang,
            settle=0.15,
        )
    return stdout.getvalue()


async def test_a_piped_session(sandbox: Sandbox, tmp_path: Path) -> None:
    output = await play(
        sandbox,
        tmp_path,
        [
            "/start",
            "7",
            "1",
            ":say 42",
            ":sticker",
            "doc",
            "2",
            ":as bruno",
            "/start",
            ":as 1",
            ":who",
            ":block",
            ":unblock",
            ":nope",
        ],
    )
    assert "Vous jouez Alice (animatrice)." in output
    assert "Bienvenue Alice !\n  [1] Oui  [2] Non" in output
    assert "[notification] Choix : yes" in output
    assert "(modifié) Vous avez choisi yes" in output
    assert "Écho : 42" in output
    assert "Joli autocollant" in output
    assert "Pas de bouton numéro 7." in output
    assert "Aucun message avec des boutons." in output
    saved = saved_files(tmp_path)
    assert len(saved) == 1
    assert saved[0].read_bytes() == b"rapport"
    assert f"[fichier] {saved[0]}" in output
    assert "Vous jouez Bruno (membre)." in output
    assert "Bienvenue Bruno !" in output
    assert "* 1. Alice (animatrice) : 0 non lu(s)" in output
    assert "Alice a bloqué le bot." in output
    assert "Alice a débloqué le bot." in output
    assert "Commande inconnue : :nope (voir :help)." in output
    assert output.rstrip().endswith("Au revoir.")
    users = {user.id: user for user in sandbox.world.users.values()}
    assert users[5002].language_code == "fr"


async def test_missed_messages_are_shown_when_switching(sandbox: Sandbox, tmp_path: Path) -> None:
    bruno = sandbox.add_user(5002, "Bruno", started=True)
    stdout = io.StringIO()
    async with running_echo_bot(sandbox):
        await bruno.send("/start")
        await bruno.expect("Bienvenue")  # the echo bot answered Bruno, unseen by the console
        await run_console(
            sandbox.control_url,
            PERSONAS,
            tmp_path,
            io.StringIO(":who\n:as Bruno\n:help\n"),
            stdout,
            lang="en",
            settle=0.1,
        )
    output = stdout.getvalue()
    assert "  2. Bruno (membre): 1 unread" in output
    assert output.index("You are playing Bruno") < output.index("Bienvenue Bruno !")
    assert STRINGS["en"]["help"] in output


def test_catalogs_have_the_same_keys() -> None:
    assert STRINGS["fr"].keys() == STRINGS["en"].keys()
