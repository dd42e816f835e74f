"""One bot on Telegram and Matrix at once: the real bot polls the Bot API router.

Telegram upstream: a sandbox with simulated Telegram members. Matrix upstream: the gateway
(a sandbox bridged by :class:`MatrixBridge`) on the test Synapse, real mautrix members.
One Application, one delivery engine (one pacer per messenger), one job queue.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings
from bot.delivery import Attachment, Content, DeliveryState, Draft, Message
from bot.gateway import BotApiRouter, start_router
from bot.matrix.bridge import MatrixBridge
from bot.matrix.homeserver import Homeserver
from bot.runtime import BotRuntime
from bot.sandbox import RateLimits, Sandbox, SimUser
from bot.transports import Transport
from bot.update_processor import FloodLimit
from tests.conformance import check_requests, load_spec
from tests.conftest import ANIMATOR_ID, TEST_TOKEN, register
from tests.e2e.newsletter.test_letters import preview, send_now, write
from tests.matrix.gateway import MatrixNetwork, new_account
from tests.matrix.member import MatrixMember

GATEWAY_TOKEN = "987654321:AAH-matrix-gateway-token-for-tests"
PROFILE = ("Nom Prénom", "France Services de Crest", "Drôme", "Agente d'accueil")
QUESTIONS = ("Quel nom", "Quelle est votre organisation", "Sur quel territoire", "Quelle est")
ICS = Attachment("visio.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "<b>Agenda</b>")


class BothNetwork(MatrixNetwork):
    """Synapse and the gateway, a Telegram sandbox, the router and the bot polling it."""

    def __init__(
        self,
        homeserver: Homeserver,
        runtime: BotRuntime,
        bridge: MatrixBridge,
        telegram: Sandbox,
        router: BotApiRouter,
    ) -> None:
        super().__init__(homeserver, runtime, bridge)
        self.telegram = telegram
        self.router = router


@pytest.fixture
async def both(
    homeserver: Homeserver, settings: Settings, tmp_path: Path
) -> AsyncIterator[BothNetwork]:
    telegram = Sandbox(token=TEST_TOKEN, rate_limits=RateLimits.telegram(scale=10))
    gateway = Sandbox(token=GATEWAY_TOKEN, rate_limits=RateLimits.off())
    await telegram.start()
    await gateway.start()
    account = await new_account(homeserver, "maillage")
    bridge = MatrixBridge(gateway, homeserver.base_url, account.user_id, account.access_token)
    await bridge.start()
    router = await start_router(
        token=TEST_TOKEN,
        telegram_api_url=telegram.api_url,
        matrix_api_url=gateway.api_url,
        matrix_token=GATEWAY_TOKEN,
    )
    configured = replace(settings, api_url=router.api_url, db_path=tmp_path / "both.db")
    runtime = BotRuntime(configured, poll_timeout=1, flood=FloodLimit.scaled(20, burst=60))
    await runtime.start()
    assert runtime.services is not None
    rate = math.floor(homeserver.limits.message_per_second)
    runtime.services.deliveries.pacers.serve_matrix(rate, router.addressing)
    network = BothNetwork(homeserver, runtime, bridge, telegram, router)
    yield network
    await network.close()
    await runtime.stop()
    await router.stop()
    await bridge.stop()
    await gateway.stop()
    await telegram.stop()
    spec = load_spec()  # what the router forwarded, Telegram would accept
    if spec is not None:
        violations = check_requests(spec, telegram.requests)
        assert not violations, "requests Telegram would reject:\n" + "\n".join(violations)


async def register_on_telegram(user: SimUser) -> None:
    await user.send("/start")
    await user.expect("Acceptez-vous ces conditions")
    await user.tap("✅ J’accepte")
    for question, answer in zip(QUESTIONS, PROFILE, strict=True):
        await user.expect(question)
        await user.send(answer)
    await user.expect("Votre profil")
    await user.tap("C’est bon")
    await user.expect("Bienvenue dans le réseau")


async def register_on_matrix(member: MatrixMember) -> None:
    await member.send("!start")
    await member.expect("Acceptez-vous ces conditions")
    await member.choose("J’accepte")
    for question, answer in zip(QUESTIONS, PROFILE, strict=True):
        await member.expect(question)
        await member.send(answer)
    await member.expect("Votre profil")
    await member.choose("C’est bon")
    await member.expect("Bienvenue dans le réseau")


def sends_to(sandbox: Sandbox, chat_id: int, text: str) -> int:
    return sum(
        1
        for r in sandbox.requests
        if r.method == "sendMessage"
        and r.status == 200
        and r.params.get("chat_id") == str(chat_id)
        and text in r.params.get("text", "")
    )


async def test_one_bot_serves_a_telegram_and_a_matrix_member(both: BothNetwork) -> None:
    tom = both.telegram.add_user(1001, "Tom")
    chloe = await both.member("Chloé")
    await register_on_telegram(tom)  # taps on Telegram: callback queries answered there
    await register_on_matrix(chloe)  # numbered choices on Matrix: the same handlers
    for user_id in (tom.user_id, chloe.user_id):
        member = await both.services.members.get(user_id)
        assert member is not None and member.is_registered
    pacers = both.services.deliveries.pacers
    assert pacers.for_chat(chloe.user_id) is pacers.matrix
    assert pacers.for_chat(tom.user_id) is pacers.telegram

    anne = both.telegram.add_user(ANIMATOR_ID, "Anne", started=True)
    await register(both.services, ANIMATOR_ID, "Anne")
    await write(anne, "/lettre", "La visio de mars approche.")
    await preview(anne)
    await send_now(anne, 3)
    await tom.expect("La visio de mars approche", timeout=15)
    letter = await chloe.expect("La visio de mars approche")
    assert "<ol>" in letter["formatted_body"]  # its opt-out button, as a numbered choice

    assert sends_to(both.telegram, tom.user_id, "La visio de mars") == 1
    assert sends_to(both.telegram, chloe.user_id, "La visio de mars") == 0
    assert sends_to(both.bridge.sandbox, chloe.user_id, "La visio de mars") == 1
    assert len([m for m in chloe.received if "La visio de mars" in m["body"]]) == 1


async def test_one_send_with_a_file_reaches_each_messenger(both: BothNetwork) -> None:
    tom = both.telegram.add_user(1002, "Tom", started=True)
    chloe = await both.member("Chloé")
    for user_id, name in ((tom.user_id, "Tom"), (chloe.user_id, "Chloé")):
        await register(both.services, user_id, name)
    engine = both.services.deliveries
    content = Content({"fr": Message(("<b>Invitation</b> à la visio",), attachment=ICS)})
    send_id, audience = await engine.create_send(
        Draft("newsletter", "visio", content), [tom.user_id, chloe.user_id]
    )
    assert audience.eligible == 2

    report = await engine.run(send_id)

    assert report is not None and report.counts[DeliveryState.SENT] == 2
    document = await tom.expect_document()
    assert (document.filename, document.data) == ("visio.ics", ICS.data)
    event = await chloe.expect("Agenda")
    assert (event["msgtype"], event["filename"]) == ("m.file", "visio.ics")
    assert await chloe.api.download_media(event["url"]) == ICS.data
    assert both.router.addressing.route_of(chloe.user_id)[0] is Transport.MATRIX
