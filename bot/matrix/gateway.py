"""The production Matrix gateway, served in the bot's own process.

A Bot API server on 127.0.0.1 (the sandbox's protocol, on a free port, with a random token
drawn for each run, no rate limits, and without the ``/_sandbox`` control routes) whose
members are the Matrix users the :class:`~bot.matrix.bridge.MatrixBridge` brings in. The
Application polls :attr:`MatrixGateway.api_url` with :attr:`MatrixGateway.token`; the
gateway's state (:mod:`bot.matrix.state`) lives in its own SQLite file and is restored on
start, so a restart loses and repeats nothing.
"""

from __future__ import annotations

import secrets

from bot.config import MatrixAccount
from bot.matrix.bridge import MatrixBridge
from bot.matrix.identity import matrix_user_number
from bot.matrix.state import GatewayState
from bot.sandbox import RateLimits, Sandbox


def _localpart(user_id: str) -> str:
    return user_id.split(":", 1)[0].lstrip("@")


class MatrixGateway:
    """Bot API server + Matrix bridge + state file, started and stopped together."""

    def __init__(self, account: MatrixAccount) -> None:
        self.account = account
        # The bot's id is stable (derived from its Matrix id); the secret changes every run.
        self.token = f"{matrix_user_number(account.user_id)}:{secrets.token_urlsafe(32)}"
        self.sandbox = Sandbox(
            self.token,
            RateLimits.off(),
            bot_name=_localpart(account.user_id),
            bot_username=_localpart(account.user_id),
            control=False,
        )
        self.state: GatewayState | None = None
        self.bridge: MatrixBridge | None = None

    @property
    def api_url(self) -> str:
        """``base_url`` for the Application (python-telegram-bot appends token and method)."""
        return self.sandbox.api_url

    async def start(self) -> None:
        """Open the state file, listen on 127.0.0.1, restore the world and follow Matrix."""
        self.account.state_path.parent.mkdir(parents=True, exist_ok=True)
        self.state = GatewayState(self.account.state_path)
        try:
            await self.sandbox.start("127.0.0.1", 0)
            self.bridge = MatrixBridge(
                self.sandbox,
                self.account.homeserver,
                self.account.user_id,
                self.account.access_token,
                per_second=self.account.per_second,
                state=self.state,
            )
            await self.bridge.start()
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        """Stop following Matrix, stop listening, close the state file."""
        if self.bridge is not None:
            await self.bridge.stop()
            self.bridge = None
        await self.sandbox.stop()
        if self.state is not None:
            self.state.close()
            self.state = None
