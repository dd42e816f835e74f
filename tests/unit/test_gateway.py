"""The Bot API router's pieces: where a call goes, what the bot sees, no token in the logs."""

from __future__ import annotations

import logging
import socket

import pytest

from bot.gateway import upstream as upstream_module
from bot.gateway.addresses import Origins, Presenter, route
from bot.gateway.merge import MergedUpdates
from bot.gateway.upstream import Call, Upstream
from bot.transports import MATRIX_ID_BASE, DirectAddressing, Transport, transport_of_id

MATRIX_MEMBER = MATRIX_ID_BASE + 5
SECRET = "111222333:AAH-secret-token-never-in-a-log-line"


class Linked:
    """Member 42 reads the bot on the Matrix account ``MATRIX_MEMBER``."""

    def member_of(self, user_id: int) -> int:
        return 42 if user_id == MATRIX_MEMBER else user_id

    def route_of(self, chat_id: int) -> tuple[Transport, int]:
        if chat_id == 42:
            return Transport.MATRIX, MATRIX_MEMBER
        return transport_of_id(chat_id), chat_id


def test_a_chat_id_is_routed_and_rewritten_to_the_account_there() -> None:
    origins = Origins()
    assert route({"chat_id": "42", "text": "x"}, Linked(), origins) == (
        Transport.MATRIX,
        {"chat_id": str(MATRIX_MEMBER), "text": "x"},
    )
    assert route({"chat_id": "7"}, Linked(), origins) == (Transport.TELEGRAM, {"chat_id": "7"})
    group = str(-(MATRIX_ID_BASE + 9))
    assert route({"chat_id": group, "user_id": "42"}, Linked(), origins) == (
        Transport.MATRIX,
        {"chat_id": group, "user_id": str(MATRIX_MEMBER)},
    )
    assert route({"user_id": "42"}, Linked(), origins) == (
        Transport.MATRIX,
        {"user_id": str(MATRIX_MEMBER)},
    )


def test_queries_and_files_go_back_to_their_upstream_and_the_rest_has_no_target() -> None:
    origins = Origins()
    presenter = Presenter(DirectAddressing(), origins)
    presenter.update({"update_id": 1, "callback_query": {"id": "cb-1"}}, Transport.MATRIX)
    presenter.value(
        {"document": {"file_id": "F1", "file_path": "documents/a.csv"}}, Transport.MATRIX
    )
    assert route({"callback_query_id": "cb-1"}, DirectAddressing(), origins) == (
        Transport.MATRIX,
        {"callback_query_id": "cb-1"},
    )
    assert route({"file_id": "F1"}, DirectAddressing(), origins) == (
        Transport.MATRIX,
        {"file_id": "F1"},
    )
    assert origins.of("documents/a.csv") is Transport.MATRIX
    assert route({"callback_query_id": "unknown"}, DirectAddressing(), origins) is None
    assert route({"commands": "[]"}, DirectAddressing(), origins) is None


def test_origins_forget_the_oldest_beyond_their_capacity() -> None:
    origins = Origins(capacity=2)
    for value in ("a", "b", "c"):
        origins.note(value, Transport.MATRIX)
    assert (origins.of("a"), origins.of("c")) == (None, Transport.MATRIX)


def test_users_and_private_chats_become_members_groups_stay() -> None:
    presenter = Presenter(Linked(), Origins(), bot_ids={987: 123})
    update = {
        "update_id": 9,
        "message": {
            "from": {"id": MATRIX_MEMBER, "is_bot": False, "first_name": "Léa"},
            "chat": {"id": MATRIX_MEMBER, "type": "private"},
            "reply_to_message": {"from": {"id": 987, "is_bot": True, "first_name": "Bot"}},
        },
    }
    shown = presenter.update(update, Transport.MATRIX)["message"]
    assert shown["from"]["id"] == shown["chat"]["id"] == 42
    assert shown["reply_to_message"]["from"]["id"] == 123  # the gateway's bot is Telegram's
    group = {"chat": {"id": -(MATRIX_ID_BASE + 9), "type": "group"}}
    assert presenter.value(group, Transport.MATRIX) == group


async def test_an_unreachable_upstream_answers_bad_gateway_without_the_token_in_logs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upstream_module, "CONNECT_PAUSE", 0.01)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    upstream = Upstream(Transport.TELEGRAM, f"http://127.0.0.1:{port}/bot", SECRET)
    await upstream.open()
    with caplog.at_level(logging.DEBUG):
        status, envelope = await upstream.call(Call("sendMessage", {"chat_id": "1"}))
        download = await upstream.download("documents/x.csv")
    await upstream.close()
    assert (status, envelope) == (
        502,
        {"ok": False, "error_code": 502, "description": "Bad Gateway"},
    )
    assert download[0] == 502
    assert caplog.records and SECRET not in caplog.text
    assert SECRET.split(":")[1] not in caplog.text


async def test_merged_updates_wait_for_nothing_once_stopped() -> None:
    merged = MergedUpdates([], lambda update, transport: update)
    assert await merged.get(0, 100, 5) == []
