"""Webhook mode: Telegram posts updates to the bot's own HTTP server, checked by secret token."""

from __future__ import annotations

import json
import logging
import socket
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.runtime import BotRuntime
from bot.sandbox import Sandbox
from bot.webhook import WebhookOptions


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_update(user_id: int) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Inès", "language_code": "fr"}
    return {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Inès"},
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_webhook_mode_registers_and_serves_posted_updates(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    port = _free_port()
    ines = sandbox.add_user(5151, "Inès", language_code="fr", started=True)
    runtime = BotRuntime(replace(settings, api_url=sandbox.api_url, db_path=tmp_path / "w.db"))
    hook = WebhookOptions(
        url="https://maillage.example.org/telegram", port=port, secret_token="s3cr3t-Token_1"
    )
    await runtime.start(hook)
    try:
        registered = [r for r in sandbox.requests if r.method == "setWebhook"]
        assert registered[-1].params["url"] == hook.url
        assert registered[-1].params["secret_token"] == hook.secret_token
        body = json.dumps(_start_update(ines.user_id))
        endpoint = f"http://127.0.0.1:{port}/telegram"
        async with httpx.AsyncClient() as client:
            forged = await client.post(
                endpoint,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": "x",
                },
            )
            assert forged.status_code == 403
            accepted = await client.post(
                endpoint,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": hook.secret_token,
                },
            )
            assert accepted.status_code == 200
        await ines.expect("Bonjour Inès")
        await ines.expect("Acceptez-vous ces conditions")
    finally:
        await runtime.stop()


async def test_an_unreadable_posted_update_is_confirmed_quietly_and_the_next_is_served(
    sandbox: Sandbox, settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = _free_port()
    ines = sandbox.add_user(5152, "Inès", language_code="fr", started=True)
    runtime = BotRuntime(replace(settings, api_url=sandbox.api_url, db_path=tmp_path / "u.db"))
    await runtime.start(WebhookOptions(url="https://maillage.example.org/hook", port=port))
    endpoint = f"http://127.0.0.1:{port}/hook"
    unreadable = {"update_id": 7, "poll": {"id": "1", "question": "Inès Martin ?"}}
    try:
        async with httpx.AsyncClient() as client:
            confirmed = await client.post(endpoint, json=unreadable)
            not_json = await client.post(endpoint, content=b"\xff{")
            served = await client.post(endpoint, json=_start_update(ines.user_id))
        assert (confirmed.status_code, not_json.status_code, served.status_code) == (200, 400, 200)
        await ines.expect("Bonjour Inès")
    finally:
        await runtime.stop()
    skipped = [r for r in caplog.records if "skipped update 7" in r.getMessage()]
    assert len(skipped) == 1
    assert "Inès Martin" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
