"""``maillage run --transport both``: one process serves Telegram and Matrix members.

Telegram is a Bot API sandbox (``MAILLAGE_API_URL``), Matrix the test Synapse; the bot runs
as a real process with the router in front of both. A Telegram member links their Tchap
account with a one-time code; from then on the Tchap account acts as the member, and each
answer reaches the messenger the member wrote from.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.matrix.homeserver import Homeserver
from bot.sandbox import RateLimits, Sandbox
from bot.services import Services
from tests.conftest import TEST_TOKEN, register
from tests.matrix.gateway import new_account
from tests.matrix.running import MatrixBotProcess, PacedMember

ZOE = 4_402
CODE = re.compile(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}\b")


async def test_one_process_serves_both_and_a_linked_member_is_answered_where_they_write(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    telegram = Sandbox(token=TEST_TOKEN, rate_limits=RateLimits.off())
    await telegram.start()
    account = await new_account(homeserver, "maillage")
    env = {"MAILLAGE_API_URL": telegram.api_url, "MAILLAGE_BOT_TOKEN": TEST_TOKEN}
    bot = MatrixBotProcess(homeserver, account, tmp_path, transport="both", env=env)
    tchap = PacedMember(homeserver, await new_account(homeserver, "member"), account.user_id)
    try:
        services = await Services.open(bot.settings)
        try:
            await register(services, ZOE, "Zoé")
        finally:
            await services.close()
        zoe = telegram.add_user(user_id=ZOE, first_name="Zoé", language_code="fr", started=True)
        await bot.start()
        await tchap.open_direct("Zoé au travail")

        await tchap.send("!start")  # not linked yet: a newcomer on Matrix
        await tchap.expect("Acceptez-vous ces conditions")
        await zoe.send("/lier")
        shown = await zoe.expect("Dans Tchap (Matrix)", timeout=15)
        code = CODE.search(shown["text"])
        assert code is not None
        await tchap.send(f"!lier {code.group()}")
        await tchap.expect("est maintenant lié à votre adhésion (Zoé)")
        await zoe.expect("vient d’être lié", timeout=15)

        await tchap.send("!menu")  # the Tchap account is Zoé now, answered on Tchap
        await tchap.expect("que voulez-vous faire ?")
        await zoe.send("/menu")  # and on Telegram, answered on Telegram
        await zoe.expect("que voulez-vous faire ?", timeout=15)
        assert [r for r in telegram.requests if r.method == "sendMessage"][-1].params[
            "chat_id"
        ] == str(ZOE)
        assert bot.errors() == []
        assert TEST_TOKEN not in bot.logs() and account.access_token not in bot.logs()
    finally:
        await bot.stop()
        await tchap.close()
        await telegram.stop()
