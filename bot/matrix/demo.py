"""``maillage demo --transport matrix``: a local Synapse, the gateway, the bot, the seeded network.

Needs ``matrix-synapse`` (``pip install -e '.[test]'``). Starts a fresh Synapse on
127.0.0.1, registers the bot's account and one account per demo persona (password
``demo-<name>``), opens the registered personas' direct rooms with the bot, serves the
seeded network on Matrix, and prints the homeserver URL and the accounts: log in with any
Matrix client (Element: « Sign in », edit the homeserver). Everything starts afresh each
time (the accounts and rooms are new, so are the database and the gateway's state).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from dataclasses import replace
from pathlib import Path

from mautrix.client import ClientAPI

from bot.config import MatrixAccount, Settings
from bot.demo import DEMO_NETWORK, DEMO_NETWORK_NAME, prepare_demo, seed_demo
from bot.logs import configure_logging
from bot.matrix.gateway import MatrixGateway
from bot.matrix.homeserver import Account, Homeserver, synapse_installed
from bot.matrix.identity import matrix_user_number
from bot.runtime import BotRuntime, wait_for_signal
from bot.update_processor import FloodLimit

BOT_LOCALPART = "maillage"


def _localpart(name: str) -> str:
    return name.lower().replace("é", "e")


async def _open_direct(homeserver: Homeserver, account: Account, bot_user_id: str) -> None:
    """The persona invites the bot into a direct room (a registered member did it before)."""
    api = ClientAPI(account.user_id, base_url=homeserver.base_url, token=account.access_token)
    try:
        await api.create_room(invitees=[bot_user_id], is_direct=True)
    finally:
        await api.api.session.close()


def _announce(homeserver: Homeserver, accounts: list[tuple[str, str, str]]) -> None:
    lines = [
        f"Synapse: {homeserver.base_url}  (server name {homeserver.server_name})",
        f"Bot: @{BOT_LOCALPART}:{homeserver.server_name}: open a direct conversation with it,"
        " write !start, answer choices with their number.",
        "Accounts (user / password / who):",
        *(f"  {user}  {password}  {who}" for user, password, who in accounts),
        "Ctrl-C stops everything.",
    ]
    print("\n".join(lines), flush=True)


async def run_matrix_demo(settings: Settings, data_dir: Path) -> None:
    """Serve the demo network on a local Synapse until Ctrl-C."""
    if not synapse_installed():
        raise SystemExit("maillage demo --transport matrix needs: pip install -e '.[test]'")
    configure_logging(logging.WARNING, [])
    database = prepare_demo(data_dir, fresh=True)
    shutil.rmtree(data_dir / "synapse", ignore_errors=True)
    (data_dir / "demo-matrix.sqlite").unlink(missing_ok=True)
    homeserver = Homeserver(data_dir / "synapse")
    await asyncio.to_thread(homeserver.start)
    try:
        await homeserver.wait_serving()
        bot = await homeserver.register(BOT_LOCALPART)
        ids: dict[int, int] = {}
        accounts = []
        for persona, profile, _ in DEMO_NETWORK:
            password = f"demo-{_localpart(persona.name)}"
            account = await homeserver.register(_localpart(persona.name), password=password)
            ids[persona.user_id] = matrix_user_number(account.user_id)
            accounts.append((account.user_id, password, f"{persona.name}, {persona.role_label}"))
            if profile is not None:
                await _open_direct(homeserver, account, bot.user_id)
        state = data_dir / "demo-matrix.sqlite"
        gateway = MatrixGateway(
            MatrixAccount(homeserver.base_url, bot.user_id, bot.access_token, 50, state)
        )
        await gateway.start()
        served = replace(
            settings,
            bot_token=gateway.token,
            api_url=gateway.api_url,
            db_path=database,
            network_name=DEMO_NETWORK_NAME,
        )
        runtime = BotRuntime(served, poll_timeout=2, flood=FloodLimit.off())
        try:
            await runtime.start()
            await seed_demo(runtime, ids)
            _announce(homeserver, accounts)
            await wait_for_signal()
        finally:
            await runtime.stop()
            await gateway.stop()
    finally:
        await asyncio.to_thread(homeserver.stop)
