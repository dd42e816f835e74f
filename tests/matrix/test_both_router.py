"""The Bot API router between the real bot and two Bot API servers (no homeserver needed).

Here both upstreams are plain sandboxes: one plays Telegram, the other the Matrix gateway
(its members have ids in the Matrix range). ``test_both.py`` runs the same router with the
real gateway on Synapse.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings
from bot.gateway import BotApiRouter, start_router
from bot.gateway import upstream as upstream_module
from bot.gateway.upstream import Call
from bot.runtime import BotRuntime
from bot.sandbox import RateLimits, Sandbox
from bot.sandbox.params import Upload
from bot.transports import MATRIX_ID_BASE, Transport, transport_of_id
from bot.update_processor import FloodLimit
from tests.conftest import TEST_TOKEN
from tests.e2e.test_delivery import until

MATRIX_TOKEN = "987654321:AAH-matrix-gateway-token-for-tests"


class Linked:
    """A Telegram member (``member``) who reads the bot on a Matrix account."""

    def __init__(self, member: int, account: int) -> None:
        self.member, self.account = member, account

    def member_of(self, user_id: int) -> int:
        return self.member if user_id == self.account else user_id

    def route_of(self, chat_id: int) -> tuple[Transport, int]:
        if chat_id == self.member:
            return Transport.MATRIX, self.account
        return transport_of_id(chat_id), chat_id


@pytest.fixture
async def upstreams() -> AsyncIterator[tuple[Sandbox, Sandbox]]:
    telegram = Sandbox(token=TEST_TOKEN, rate_limits=RateLimits.off())
    matrix = Sandbox(token=MATRIX_TOKEN, rate_limits=RateLimits.off(), bot_username="gw_bot")
    await telegram.start()
    await matrix.start()
    yield telegram, matrix
    await matrix.stop()
    await telegram.stop()


async def router_for(telegram: Sandbox, matrix: Sandbox) -> BotApiRouter:
    return await start_router(
        token=TEST_TOKEN,
        telegram_api_url=telegram.api_url,
        matrix_api_url=matrix.api_url,
        matrix_token=MATRIX_TOKEN,
    )


@pytest.fixture
async def routed(
    upstreams: tuple[Sandbox, Sandbox], settings: Settings, tmp_path: Path
) -> AsyncIterator[tuple[BotApiRouter, BotRuntime]]:
    router = await router_for(*upstreams)
    configured = replace(settings, api_url=router.api_url, db_path=tmp_path / "both.db")
    runtime = BotRuntime(configured, poll_timeout=1, flood=FloodLimit.scaled(20, burst=60))
    await runtime.start()
    yield router, runtime
    await runtime.stop()
    await router.stop()


async def test_each_member_talks_to_the_one_bot_on_their_own_messenger(
    upstreams: tuple[Sandbox, Sandbox], routed: tuple[BotApiRouter, BotRuntime]
) -> None:
    telegram, matrix = upstreams
    tom = telegram.add_user(1001, "Tom")
    mia = matrix.add_user(MATRIX_ID_BASE + 77, "Mia")
    await tom.send("/start")
    await mia.send("/start")
    await tom.expect("Acceptez-vous ces conditions")
    await mia.expect("Acceptez-vous ces conditions")
    await tom.tap("✅ J’accepte")  # answerCallbackQuery goes back to each query's upstream
    await mia.tap("✅ J’accepte")
    await tom.expect("Quel nom")
    await mia.expect("Quel nom")
    assert all(
        r.method != "sendMessage" or r.params["chat_id"] != str(mia.user_id)
        for r in telegram.requests
    )
    assert {r.params.get("chat_id") for r in matrix.requests if r.method == "sendMessage"} == {
        str(mia.user_id)
    }
    # Commands are set on both, the bot's identity comes from Telegram.
    assert any(r.method == "setMyCommands" for r in matrix.requests)


async def test_a_document_from_each_side_is_downloaded_from_where_it_was_sent(
    upstreams: tuple[Sandbox, Sandbox], routed: tuple[BotApiRouter, BotRuntime]
) -> None:
    telegram, matrix = upstreams
    _, runtime = routed
    bot = runtime.application.bot if runtime.application else None
    assert bot is not None
    for sandbox, user_id in ((telegram, 1002), (matrix, MATRIX_ID_BASE + 78)):
        user = sandbox.add_user(user_id, "Zoé", started=True)
        sent = await bot.send_document(user_id, b"a;b\r\n1;2\r\n", filename="liste.csv")
        assert sent.chat.id == user_id
        received = await user.expect_document()
        assert received.data == b"a;b\r\n1;2\r\n"
        assert await (await bot.get_file(sent.document.file_id)).download_as_bytearray() == (
            b"a;b\r\n1;2\r\n"
        )


async def test_a_send_to_a_linked_member_reaches_their_matrix_account(
    upstreams: tuple[Sandbox, Sandbox], routed: tuple[BotApiRouter, BotRuntime]
) -> None:
    telegram, matrix = upstreams
    router, runtime = routed
    account = matrix.add_user(MATRIX_ID_BASE + 79, "Léo", started=True)
    router.addressing = Linked(member=1003, account=account.user_id)
    assert runtime.application is not None
    sent = await runtime.application.bot.send_message(1003, "Bonjour Léo")
    assert sent.chat.id == 1003  # the bot sees its member, Matrix has the message
    await account.expect("Bonjour Léo")
    assert not any(r.method == "sendMessage" for r in telegram.requests)


async def test_a_linked_member_is_answered_on_the_messenger_they_write_from(
    upstreams: tuple[Sandbox, Sandbox], routed: tuple[BotApiRouter, BotRuntime]
) -> None:
    """Léo chose Matrix; what he types on Telegram is answered on Telegram, and back."""
    telegram, matrix = upstreams
    router, runtime = routed
    on_telegram = telegram.add_user(1004, "Léo", started=True)
    on_matrix = matrix.add_user(MATRIX_ID_BASE + 80, "Léo", started=True)
    router.addressing = Linked(member=1004, account=on_matrix.user_id)
    await on_telegram.send("/start")
    await on_telegram.expect()
    await on_matrix.expect_nothing()
    assert runtime.application is not None
    await runtime.application.bot.send_message(1004, "La suite de notre échange")
    await on_telegram.expect("La suite de notre échange")
    await on_matrix.send("/start")
    await on_matrix.expect()
    await on_telegram.expect_nothing()


async def test_an_unreachable_upstream_answers_bad_gateway(
    upstreams: tuple[Sandbox, Sandbox],
    routed: tuple[BotApiRouter, BotRuntime],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(upstream_module, "CONNECT_PAUSE", 0.01)
    _, matrix = upstreams
    router, _ = routed
    await matrix.stop()
    status, envelope = await router.handle(
        Call("sendMessage", {"chat_id": str(MATRIX_ID_BASE + 80), "text": "x"})
    )
    assert (status, envelope["error_code"], envelope["description"]) == (502, 502, "Bad Gateway")
    await matrix.start()


async def test_updates_survive_a_router_restart_before_the_bot_confirmed_them(
    upstreams: tuple[Sandbox, Sandbox],
) -> None:
    telegram, matrix = upstreams
    first = await router_for(telegram, matrix)
    await telegram.add_user(1004, "Ana").send("bonjour")
    await matrix.add_user(MATRIX_ID_BASE + 81, "Ben").send("salut")
    seen = await until_both(first)
    await first.stop()  # the bot never confirmed them (no offset past their ids)

    second = await router_for(telegram, matrix)
    again = await until_both(second)
    assert texts(again) == texts(seen) == {"bonjour", "salut"}
    assert min(u["update_id"] for u in again) > max(u["update_id"] for u in seen)
    confirmed = max(u["update_id"] for u in again) + 1
    assert await second.updates.get(confirmed, 100, 0.2) == []
    await until(lambda: telegram.pending_updates == matrix.pending_updates == 0)
    await second.stop()

    third = await router_for(telegram, matrix)  # confirmed: never given again
    assert await third.updates.get(0, 100, 1.5) == []
    await third.stop()


async def test_the_bot_keeps_polling_across_a_router_restart(
    upstreams: tuple[Sandbox, Sandbox], routed: tuple[BotApiRouter, BotRuntime]
) -> None:
    """The bot's offset points past the old router's ids: the new router's ids are higher."""
    telegram, matrix = upstreams
    router, _ = routed
    tom = telegram.add_user(1005, "Tom")
    await tom.send("/start")
    await tom.expect("Acceptez-vous ces conditions")
    port = int(router.api_url.rsplit(":", 1)[1].split("/", 1)[0])
    await router.stop()
    new = await start_router(  # a new process on the same address: the bot does not know
        token=TEST_TOKEN,
        telegram_api_url=telegram.api_url,
        matrix_api_url=matrix.api_url,
        matrix_token=MATRIX_TOKEN,
        port=port,
    )
    mia = matrix.add_user(MATRIX_ID_BASE + 82, "Mia")
    await mia.send("/start")
    await tom.tap("✅ J’accepte")
    await mia.expect("Acceptez-vous ces conditions", timeout=15)
    await tom.expect("Quel nom", timeout=15)
    await new.stop()


def texts(updates: list[dict]) -> set[str]:
    return {u["message"]["text"] for u in updates}


async def until_both(router: BotApiRouter) -> list[dict]:
    updates: list[dict] = []
    for _ in range(20):
        updates = await router.updates.get(0, 100, 1.0)
        if len(updates) >= 2:
            return updates
    raise AssertionError(f"the router merged {updates}")


async def test_a_file_id_given_before_a_restart_is_found_on_its_upstream(
    upstreams: tuple[Sandbox, Sandbox],
) -> None:
    """The new router does not know the file's origin: Telegram refuses it, Matrix has it."""
    telegram, matrix = upstreams
    matrix.add_user(MATRIX_ID_BASE + 83, "Eva", started=True)
    router = await router_for(telegram, matrix)
    status, sent = await router.handle(
        Call(
            "sendDocument",
            {"chat_id": str(MATRIX_ID_BASE + 83)},
            {"document": Upload(b"a;b\r\n", "liste.csv", "text/csv")},
        )
    )
    assert status == 200, sent
    await router.stop()

    fresh = await router_for(telegram, matrix)
    status, found = await fresh.handle(
        Call("getFile", {"file_id": sent["result"]["document"]["file_id"]})
    )
    assert status == 200, found
    _, data, _ = await fresh.download(found["result"]["file_path"])
    assert data == b"a;b\r\n"
    await fresh.stop()
