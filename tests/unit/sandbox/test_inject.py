"""Raw update injection: any JSON object reaches getUpdates verbatim, with a fresh update_id."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import telegram
from telegram.error import BadRequest

from bot.sandbox import Sandbox, SandboxClient


async def raw_updates(sandbox: Sandbox) -> list[dict[str, Any]]:
    """getUpdates as raw JSON, before any client library parses it."""
    async with httpx.AsyncClient() as http:
        answer = await http.get(f"{sandbox.api_url}{sandbox.token}/getUpdates?timeout=0")
    return answer.json()["result"]


async def test_injected_updates_reach_get_updates_verbatim(sandbox: Sandbox) -> None:
    first = sandbox.inject_update({"update_id": 1, "something_new": {"x": [1, "é"]}})
    second = sandbox.inject_update({"chat_member": {"weird": True}})  # not in the default set
    assert second == first + 1
    assert await raw_updates(sandbox) == [
        {"update_id": first, "something_new": {"x": [1, "é"]}},
        {"update_id": second, "chat_member": {"weird": True}},
    ]


async def test_injected_callback_query_is_answerable_once(
    sandbox: Sandbox, bot: telegram.Bot
) -> None:
    alice = sandbox.add_user(2001, "Alice", started=True)
    sandbox.inject_update(
        {
            "callback_query": {
                "id": "77",
                "from": {"id": 2001, "is_bot": False, "first_name": "Alice"},
                "chat_instance": "1",
                "inline_message_id": "AAAA",
                "data": "x",
            }
        }
    )
    sandbox.inject_update({"callback_query": {"id": "78", "from": {"id": 5}, "data": "y"}})
    assert await bot.answer_callback_query("77", text="Ce bouton a expiré.")
    assert alice.toasts == ["Ce bouton a expiré."]
    assert await bot.answer_callback_query("78")  # a sender the sandbox does not know
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("77")


async def test_injection_over_http(sandbox: Sandbox) -> None:
    async with SandboxClient(sandbox.control_url) as client:
        update_id = await client.inject_update({"poll_answer": {"poll_id": "1"}})
    assert await raw_updates(sandbox) == [{"update_id": update_id, "poll_answer": {"poll_id": "1"}}]
