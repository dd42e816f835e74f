"""``maillage run --transport matrix`` as a real process against the test Synapse.

Started, killed with SIGKILL (no clean-up, no last flush), restarted on the same database
and gateway state file; what members received is read back from Synapse itself.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

from mautrix.types import PaginationDirection

from bot.config import Settings
from bot.matrix.homeserver import Account, Homeserver
from tests.e2e.crash import BotSubprocess
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


class MatrixBotProcess(BotSubprocess):
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
        super().__init__(folder)
        self.transport = transport
        self.extra_env = env or {}
        self.homeserver = homeserver
        self.account = account
        self.db_path = folder / "bot.db"
        self.rate = rate

    @property
    def settings(self) -> Settings:
        """What the bot process reads from its environment (to seed the database in-process)."""
        return Settings(db_path=self.db_path, network_name=NETWORK_NAME)

    def _arguments(self) -> list[str]:
        return ["--transport", self.transport]

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
