"""The Synapse fixture itself: accounts by shared secret, a direct room, a message synced."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from bot.matrix.homeserver import Account, Homeserver
from tests.matrix.gateway import new_account


async def _call(
    http: aiohttp.ClientSession,
    homeserver: Homeserver,
    account: Account,
    verb: str,
    path: str,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    url = f"{homeserver.base_url}/_matrix/client/v3/{path}"
    headers = {"Authorization": f"Bearer {account.access_token}"}
    async with http.request(verb, url, json=body, headers=headers) as response:
        answer: dict[str, Any] = await response.json()
        assert response.status == 200, answer
        return answer


async def test_shared_secret_accounts_are_distinct_users(homeserver: Homeserver) -> None:
    bot = await new_account(homeserver, "bot")
    member = await new_account(homeserver, "member")
    assert bot.user_id != member.user_id
    assert bot.user_id.endswith(f":{homeserver.server_name}")
    async with aiohttp.ClientSession() as http:
        whoami = await _call(http, homeserver, member, "GET", "account/whoami")
    assert whoami["user_id"] == member.user_id


async def test_a_message_in_a_direct_room_reaches_the_member(homeserver: Homeserver) -> None:
    bot = await new_account(homeserver, "bot")
    member = await new_account(homeserver, "member")
    async with aiohttp.ClientSession() as http:
        room = await _call(
            http,
            homeserver,
            bot,
            "POST",
            "createRoom",
            {"is_direct": True, "invite": [member.user_id], "preset": "trusted_private_chat"},
        )
        room_id = room["room_id"]
        await _call(http, homeserver, member, "POST", f"join/{room_id}", {})
        await _call(
            http,
            homeserver,
            bot,
            "PUT",
            f"rooms/{room_id}/send/m.room.message/txn1",
            {"msgtype": "m.text", "body": "Bienvenue"},
        )
        synced = await _call(http, homeserver, member, "GET", "sync?timeout=0")
    timeline = synced["rooms"]["join"][room_id]["timeline"]["events"]
    bodies = [e["content"].get("body") for e in timeline if e["type"] == "m.room.message"]
    assert bodies == ["Bienvenue"]


async def test_registration_with_a_wrong_secret_is_refused(homeserver: Homeserver) -> None:
    impostor = Homeserver(homeserver.folder)
    impostor.port, impostor.shared_secret = homeserver.port, "not-the-secret"
    with pytest.raises(RuntimeError, match="refused"):
        await impostor.register("intruder")
