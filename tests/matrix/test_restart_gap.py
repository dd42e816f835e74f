"""A gateway down while a member wrote more than one sync returns: nothing is left out."""

from __future__ import annotations

from pathlib import Path

from bot.matrix.bridge import MatrixBridge
from bot.matrix.homeserver import Homeserver
from bot.matrix.state import GatewayState
from bot.sandbox import RateLimits, Sandbox
from tests.conftest import TEST_TOKEN
from tests.e2e.test_delivery import until
from tests.matrix.gateway import new_account
from tests.matrix.member import MatrixMember

WRITTEN_WHILE_DOWN = 130  # more than the sync filter's timeline limit (100)


async def _bridge(homeserver: Homeserver, bot_id: str, token: str, path: Path) -> MatrixBridge:
    sandbox = Sandbox(TEST_TOKEN, RateLimits.off(), control=False)
    bridge = MatrixBridge(sandbox, homeserver.base_url, bot_id, token, state=GatewayState(path))
    await bridge.start()
    return bridge


async def test_messages_written_while_the_gateway_was_down_all_reach_the_bot(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    bot = await new_account(homeserver, "maillage")
    state = tmp_path / "gateway.sqlite"
    first = await _bridge(homeserver, bot.user_id, bot.access_token, state)
    member = MatrixMember(homeserver, await new_account(homeserver, "member"), bot.user_id)
    try:
        await member.open_direct("Zoé")
        await first.stop()
        first.state.close()
        for n in range(WRITTEN_WHILE_DOWN):
            await member.send(f"message {n}")

        second = await _bridge(homeserver, bot.user_id, bot.access_token, state)
        try:
            queue = second.sandbox.world.updates
            await until(lambda: len(queue) >= WRITTEN_WHILE_DOWN)
            texts = [update["message"]["text"] for update in queue._pending]
            assert texts == [f"message {n}" for n in range(WRITTEN_WHILE_DOWN)]
        finally:
            await second.stop()
            second.state.close()
    finally:
        await member.close()
