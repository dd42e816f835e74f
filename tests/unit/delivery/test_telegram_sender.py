"""The Telegram sender against the sandbox (real HTTP, real python-telegram-bot)."""

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from aiohttp import web
from telegram.error import NetworkError, TimedOut

from bot.config import Settings
from bot.delivery import Blocked, Failed, NotSentRetryable, RetryLater
from bot.delivery.aiohttp_request import AiohttpRequest, RequestNotSent
from bot.delivery.telegram_sender import TelegramSender
from bot.sandbox import RateLimits, Sandbox
from tests.conftest import TEST_TOKEN
from tests.unit.delivery.helpers import OPT_OUT


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    box = Sandbox(TEST_TOKEN, RateLimits.off())
    await box.start()
    yield box
    await box.stop()


@pytest.fixture
async def sender(sandbox: Sandbox, settings: Settings) -> AsyncIterator[TelegramSender]:
    opened = TelegramSender(replace(settings, api_url=sandbox.api_url), pool_size=4)
    await opened.open()
    yield opened
    await opened.close()


async def test_a_message_arrives_as_html_with_its_keyboard(
    sandbox: Sandbox, sender: TelegramSender
) -> None:
    alice = sandbox.add_user(1, "Alice", started=True)

    message_id = await sender.send(1, "<b>Lettre</b> https://exemple.fr", OPT_OUT)

    received = await alice.expect("Lettre https://exemple.fr")
    assert received["message_id"] == message_id
    assert alice.buttons() == [["Se désabonner"]]
    [request] = [r for r in sandbox.requests if r.method == "sendMessage"]
    assert request.params["parse_mode"] == "HTML"
    assert '"is_disabled": true' in request.params["link_preview_options"]


async def test_a_document_arrives_with_its_name_bytes_and_html_caption(
    sandbox: Sandbox, sender: TelegramSender
) -> None:
    alice = sandbox.add_user(1, "Alice", started=True)
    sandbox.add_user(2, "Bob", started=True).block()

    message_id = await sender.send_document(1, "visio.ics", b"BEGIN:VCALENDAR", "<b>Agenda</b>")

    received = await alice.expect_document()
    assert (received.filename, received.data) == ("visio.ics", b"BEGIN:VCALENDAR")
    [request] = [r for r in sandbox.requests if r.method == "sendDocument"]
    assert request.params["parse_mode"] == "HTML"
    assert message_id > 0
    with pytest.raises(Blocked, match="blocked by the user"):
        await sender.send_document(2, "visio.ics", b"x", None)


async def test_telegram_refusals_become_engine_errors(
    sandbox: Sandbox, sender: TelegramSender
) -> None:
    sandbox.add_user(1, "Alice", started=True).block()
    sandbox.add_user(2, "Bob", started=False)
    sandbox.add_user(3, "Chloé", started=True)

    with pytest.raises(Blocked, match="blocked by the user"):
        await sender.send(1, "x", None)
    with pytest.raises(Blocked, match="can't initiate"):
        await sender.send(2, "x", None)
    with pytest.raises(Failed, match=r"(?i)chat not found"):
        await sender.send(999, "x", None)
    with pytest.raises(Failed, match="parse entities"):
        await sender.send(3, "<b>x", None)
    sandbox.rate_limits = RateLimits(global_per_second=1)
    await sender.send(3, "un", None)
    with pytest.raises(RetryLater) as flood:
        await sender.send(3, "deux", None)
    assert flood.value.seconds >= 1


async def test_a_server_gone_means_not_sent(sandbox: Sandbox, sender: TelegramSender) -> None:
    sandbox.add_user(1, "Alice", started=True)
    await sender.send(1, "x", None)  # leaves a kept-alive connection in the pool
    await sandbox.stop()
    for _ in range(2):  # the stale connection, then a refused one
        with pytest.raises(NotSentRetryable):
            await sender.send(1, "x", None)


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """A server that accepts requests and answers nothing for a long time."""

    async def hang(_: web.Request) -> web.Response:
        await asyncio.sleep(30)
        return web.Response()

    app = web.Application()
    app.router.add_post("/{tail:.*}", hang)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/bot"
    await runner.cleanup()


async def test_the_request_backend_says_whether_a_request_may_have_left(
    silent_server: str,
) -> None:
    request = AiohttpRequest(1, connect_timeout=0.1, read_timeout=0.5, pool_timeout=0.1)
    await request.initialize()
    try:
        first = asyncio.create_task(request.post(silent_server + "1"))
        await asyncio.sleep(0.05)
        with pytest.raises(RequestNotSent):  # the only connection is busy: never left
            await request.post(silent_server + "2")
        with pytest.raises(TimedOut):  # it left, no answer: may have been received
            await first
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed_port = probe.getsockname()[1]
        with pytest.raises(RequestNotSent):
            await request.post(f"http://127.0.0.1:{closed_port}/bot")
    finally:
        await request.shutdown()
    assert issubclass(RequestNotSent, NetworkError)
