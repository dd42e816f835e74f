"""``maillage run --transport matrix`` killed with ``kill -9`` and restarted: the gateway's
state file brings back what the bot and its members were doing. Read back from Synapse:
nothing lost, nothing doubled, and a number typed after a restart presses the right choice.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from pathlib import Path

from bot.delivery import Content, Draft, Message
from bot.matrix.homeserver import Homeserver
from bot.services import Services
from tests.conftest import register
from tests.e2e.crash import query, until_db
from tests.matrix.gateway import new_account
from tests.matrix.member import MatrixMember
from tests.matrix.running import MatrixBotProcess, PacedMember, room_bodies
from tests.matrix.test_registration import PROFILE, QUESTIONS

LETTER = Content({"fr": Message(("<b>La lettre du réseau</b>\nÀ la une : la visio de mars.",))})


async def test_killed_mid_registration_the_member_goes_on(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    account = await new_account(homeserver, "maillage")
    bot = MatrixBotProcess(homeserver, account, tmp_path)
    await bot.start()
    chloe = PacedMember(homeserver, await new_account(homeserver, "member"), account.user_id)
    try:
        await chloe.open_direct("Chloé")
        await chloe.send("!start")
        await chloe.expect("Acceptez-vous ces conditions")
        await _until_the_bot_saved(bot, chloe, "consent")  # the bot's side, not the gateway's
        await bot.kill()
        await chloe.choose("J’accepte")  # typed while the bot is down: waits in Synapse
        await bot.start()
        await chloe.expect("Merci, c’est noté")
        for question, answer in zip(QUESTIONS, PROFILE, strict=True):
            await chloe.expect(question)
            await chloe.send(answer)
        await chloe.expect("Votre profil")
        await _until_the_bot_saved(bot, chloe, "confirm")
        await bot.kill()
        await bot.start()
        await chloe.choose("C’est bon")  # the summary was sent before the restart
        await chloe.expect("Bienvenue dans le réseau")
        await bot.stop()

        # Read back from Synapse: each message once; the consent notice and the summary,
        # both sent before a kill, were edited after it (into the thanks and the welcome).
        bodies = await room_bodies(chloe)
        expected = ("Bonjour Chloé", "Merci, c’est noté", *QUESTIONS, "Bienvenue", "que voulez")
        assert len(bodies) == len(expected), bodies
        for body, fragment in zip(bodies, expected, strict=True):
            assert fragment in body, (fragment, bodies)
        rows = query(
            bot.db_path, "SELECT consent_version FROM members WHERE user_id = ?", (chloe.user_id,)
        )
        assert rows and rows[0][0] is not None
        assert bot.errors() == []
        logs = bot.logs()
        assert account.access_token not in logs
        assert not re.search(r"\d+:[A-Za-z0-9_-]{40,}", logs)  # nor the gateway's token
    finally:
        await bot.stop()
        await chloe.close()


async def test_killed_mid_newsletter_nobody_is_lost_or_doubled(
    homeserver: Homeserver, tmp_path: Path
) -> None:
    account = await new_account(homeserver, "maillage")
    members = [
        MatrixMember(homeserver, await new_account(homeserver, "member"), account.user_id)
        for _ in range(12)
    ]
    bot = MatrixBotProcess(homeserver, account, tmp_path, rate=4)
    try:
        await bot.start()
        await asyncio.gather(*(m.open_direct(f"Membre {i}") for i, m in enumerate(members)))
        await bot.stop()
        services = await Services.open(bot.settings)
        try:
            for member in members:
                await register(services, member.user_id, member.matrix_id)
            send_id, audience = await services.deliveries.create_send(
                Draft("newsletter", "lettre", LETTER), [m.user_id for m in members]
            )
        finally:
            await services.close()
        assert audience.eligible == len(members)

        await bot.start()  # the send job resumes the due send at start-up
        await _until_sent(bot.db_path, send_id, at_least=3)
        await bot.kill()
        at_kill = _states(bot.db_path, send_id)
        assert Counter(at_kill.values())["sent"] < len(members)
        await bot.start()
        await _until_sent(bot.db_path, send_id, at_least=len(members), unknown_ok=True)
        await bot.stop()

        states = _states(bot.db_path, send_id)
        received = {
            m.user_id: sum("La lettre du réseau" in b for b in await room_bodies(m))
            for m in members
        }
        doubled = [user for user, count in received.items() if count > 1]
        lost = [
            user for user, count in received.items() if count == 0 and states[user] != "unknown"
        ]
        claimed = [user for user, count in received.items() if states[user] == "sent" and not count]
        assert (doubled, lost, claimed) == ([], [], [])
        assert Counter(states.values())["unknown"] <= Counter(at_kill.values())["sending"]
        # Paced at the account's rate, the engine has at most one letter at the gateway:
        assert Counter(at_kill.values())["sending"] <= 1
        assert bot.errors() == []
    finally:
        await bot.stop()
        for member in members:
            await member.close()


async def _until_the_bot_saved(bot: MatrixBotProcess, member: MatrixMember, step: str) -> None:
    """Wait until the bot's conversation state reached ``step`` in its database.

    The bot writes its conversation state just after its reply; a kill before that is the
    bot's own crash test (tests/e2e/test_crash_resume.py), not the gateway's.
    """
    await until_db(
        bot.db_path,
        "SELECT state FROM conversation_states WHERE name = 'onboarding' AND user_id = ?",
        (member.user_id,),
        lambda rows: bool(rows) and step in rows[0][0],
    )


def _states(db_path: Path, send_id: int) -> dict[int, str]:
    rows = query(db_path, "SELECT chat_id, state FROM deliveries WHERE send_id = ?", (send_id,))
    return {chat_id: state for chat_id, state in rows}


async def _until_sent(
    db_path: Path, send_id: int, *, at_least: int, unknown_ok: bool = False, within: float = 30.0
) -> None:
    deadline = time.monotonic() + within
    while True:
        counts = Counter(_states(db_path, send_id).values())
        done = counts["sent"] + (counts["unknown"] if unknown_ok else 0)
        if done >= at_least:
            return
        assert time.monotonic() < deadline, f"the send stalled: {counts}"
        await asyncio.sleep(0.01)
