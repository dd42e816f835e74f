"""The bot running for real behind the Matrix gateway, and helpers to bring members in."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime

from bot.matrix.bridge import MatrixBridge
from bot.matrix.homeserver import Account, Homeserver
from bot.runtime import BotRuntime
from bot.services import Services
from tests.conftest import register
from tests.e2e.conftest import reach
from tests.matrix.member import MatrixMember

_localparts = itertools.count(1)


async def new_account(homeserver: Homeserver, prefix: str, *, admin: bool = False) -> Account:
    """A fresh account whose localpart no other test of the session uses."""
    await homeserver.wait_serving()
    return await homeserver.register(f"{prefix}{next(_localparts)}", admin=admin)


class MatrixNetwork:
    """Synapse, the bot's Matrix account bridged to the Bot API server, the bot itself."""

    def __init__(
        self,
        homeserver: Homeserver,
        runtime: BotRuntime,
        bridge: MatrixBridge,
        animator: Account | None = None,
    ) -> None:
        self.homeserver = homeserver
        self.runtime = runtime
        self.bridge = bridge
        self.members: list[MatrixMember] = []
        self._animator = animator

    @property
    def services(self) -> Services:
        assert self.runtime.services is not None
        return self.runtime.services

    async def member(self, display_name: str, account: Account | None = None) -> MatrixMember:
        """A new Matrix user who opened a direct room with the bot (not registered yet)."""
        account = account or await new_account(self.homeserver, "member")
        joined = MatrixMember(self.homeserver, account, self.bridge.user_id)
        self.members.append(joined)
        await joined.open_direct(display_name)
        for _ in range(500):  # the bridge opens their chat right after joining
            if self.bridge.rooms.get(joined.user_id) == joined.room_id:
                return joined
            await asyncio.sleep(0.01)
        raise AssertionError("the bridge did not open the member's chat")

    async def registered(self, name: str, account: Account | None = None) -> MatrixMember:
        """A Matrix member registered in the database (as ``register`` seeds one)."""
        joined = await self.member(name, account)
        await register(self.services, joined.user_id, name)
        return joined

    async def animator(self, name: str = "Anne") -> MatrixMember:
        """The registered Matrix member whose id the settings list among the admins."""
        assert self._animator is not None, "use the clocked_matrix_network fixture"
        return await self.registered(name, self._animator)

    async def run_due(self) -> list[str]:
        """Run the jobs due by the controllable clock, then let the bot settle."""
        ran = await self.runtime.run_due()
        await self.bridge.sandbox.wait_idle()
        return ran

    async def reach(self, instant: datetime, passes: int = 5) -> list[str]:
        """Set the clock to ``instant`` and run what is due until nothing is left."""
        return await reach(self.services.clock, instant, self.run_due, passes)

    async def close(self) -> None:
        for joined in self.members:
            await joined.close()
