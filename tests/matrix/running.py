"""``maillage run --transport matrix`` as a real process against the test Synapse.

Started, killed with SIGKILL (no clean-up, no last flush), restarted on the same database
and gateway state file; what members received is read back from Synapse itself.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from mautrix.types import PaginationDirection

from bot.config import Settings
from bot.matrix.homeserver import Account, Homeserver
from tests.e2e.crash import READY, REPO
from tests.matrix.member import MatrixMember

NETWORK_NAME = "Réseau France Services Drôme"


class PacedMember(MatrixMember):
    """A member who writes at most once a second, like a person (the bot's flood limit)."""

    interval = 1.05

    def __init__(self, homeserver: Homeserver, account: Account, bot_user_id: str) -> None:
        super().__init__(homeserver, account, bot_user_id)
        self._last = 0.0

    async def send(self, text: str) -> None:
        """Send ``text`` once a second has passed since the previous message."""
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last = time.monotonic()
        await super().send(text)


class MatrixBotProcess:
    """``python -m bot run --transport matrix`` (or ``both``) on one database and state file."""

    def __init__(
        self,
        homeserver: Homeserver,
        account: Account,
        folder: Path,
        *,
        rate: int = 50,
        transport: str = "matrix",
        env: dict[str, str] | None = None,
    ) -> None:
        self.transport = transport
        self.extra_env = env or {}
        self.homeserver = homeserver
        self.account = account
        self.folder = folder
        self.db_path = folder / "bot.db"
        self.rate = rate
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    @property
    def settings(self) -> Settings:
        """What the bot process reads from its environment (to seed the database in-process)."""
        return Settings(db_path=self.db_path, network_name=NETWORK_NAME)

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAILLAGE_")}
        return {
            **env,
            "MAILLAGE_DB": str(self.db_path),
            "MAILLAGE_NETWORK_NAME": NETWORK_NAME,
            "MAILLAGE_MATRIX_HOMESERVER": self.homeserver.base_url,
            "MAILLAGE_MATRIX_USER": self.account.user_id,
            "MAILLAGE_MATRIX_TOKEN": self.account.access_token,
            "MAILLAGE_MATRIX_RATE": str(self.rate),
            **self.extra_env,
        }

    def log_path(self, start: int | None = None) -> Path:
        """The log of one start (the current one by default)."""
        return self.folder / f"bot-{start or self.starts}.log"

    def logs(self) -> str:
        """What every start logged."""
        return "\n".join(
            self.log_path(n).read_text(errors="replace") for n in range(1, self.starts + 1)
        )

    async def start(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Start the bot and wait until it serves."""
        self.starts += 1
        with self.log_path().open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                "--transport",
                self.transport,
                cwd=REPO,
                env=self._env(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + timeout
        while READY not in self.log_path().read_text(errors="replace"):
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise AssertionError(f"the bot did not start:\n{self.logs()}")
            await asyncio.sleep(0.02)

    async def kill(self) -> None:
        """``kill -9``."""
        assert self.process is not None and self.process.returncode is None
        os.kill(self.process.pid, signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        """SIGTERM (a clean stop), SIGKILL if it does not stop in time."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 15)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()

    def errors(self) -> list[str]:
        """Logged errors and tracebacks of every start (should be none)."""
        return [
            line
            for line in self.logs().splitlines()
            if " ERROR " in line or "Traceback" in line or "CRITICAL" in line
        ]


async def room_bodies(member: MatrixMember) -> list[str]:
    """The bot's messages in the member's room as they read now (edits applied), oldest
    first, read from Synapse's history (the deletions' events have no body: left out)."""
    events: list[dict[str, Any]] = []
    token = None
    while True:
        page = await member.api.get_messages(
            member.room_id, PaginationDirection.BACKWARD, from_token=token, limit=100
        )
        events.extend(event.serialize() for event in page.events)
        if not page.events or page.end is None or page.end == token:
            break
        token = page.end
    shown: dict[str, str] = {}
    for event in reversed(events):
        content = event.get("content", {})
        if event.get("sender") != member.bot_user_id or event.get("type") != "m.room.message":
            continue
        edited = content.get("m.relates_to", {}).get("event_id")
        if "m.new_content" in content and edited in shown:
            shown[edited] = str(content["m.new_content"].get("body", ""))
        elif "body" in content:
            shown[event["event_id"]] = str(content["body"])
    return list(shown.values())
