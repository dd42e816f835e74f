"""The Bot API router's cost: sends and merged updates through it, against the same direct.

Two sandboxes (limits off) play Telegram and the Matrix gateway. Sends: 64 concurrent
clients post ``sendMessage`` as the delivery engine does (url-encoded form), first straight
to one sandbox (the ceiling), then through the router, half of the chats on each upstream.
Updates: members of both sandboxes write at once; a reader polls the router with
``getUpdates`` and confirms, as python-telegram-bot does, until it has them all.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import aiohttp

from bot.gateway import BotApiRouter, start_router
from bot.sandbox import DEFAULT_TOKEN, RateLimits, Sandbox
from bot.transports import MATRIX_ID_BASE

SENDS = 4_000
UPDATES = 2_000
CLIENTS = 64
GATEWAY_TOKEN = "987654321:AAH-bench-gateway-token-xxxxxxxxxxxx"


async def _send_all(api_url: str, token: str, chats: list[int]) -> float:
    """Seconds to post one message to each chat with ``CLIENTS`` in flight."""
    queue = iter(chats)
    connector = aiohttp.TCPConnector(limit=CLIENTS)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def client() -> None:
            for chat_id in queue:
                form = {"chat_id": str(chat_id), "text": "<b>La lettre</b>", "parse_mode": "HTML"}
                async with session.post(f"{api_url}{token}/sendMessage", data=form) as answer:
                    assert answer.status == 200, await answer.text()

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(CLIENTS)))
        return time.perf_counter() - started


async def _read_all(router: BotApiRouter, count: int) -> float:
    """Seconds for a getUpdates reader to receive and confirm ``count`` updates."""
    offset, seen = 0, 0
    url = f"{router.api_url}{DEFAULT_TOKEN}/getUpdates"
    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        while seen < count:
            form = {"offset": str(offset), "timeout": "5", "limit": "100"}
            async with session.post(url, data=form) as answer:
                updates = (await answer.json())["result"]
            seen += len(updates)
            if updates:
                offset = updates[-1]["update_id"] + 1
        async with session.post(url, data={"offset": str(offset), "timeout": "0"}):
            pass
    return time.perf_counter() - started


def _members(sandbox: Sandbox, ids: list[int]) -> None:
    for user_id in ids:
        sandbox.add_user(user_id, f"Membre {user_id}", started=True)


async def run() -> list[dict[str, Any]]:
    """Sends/s direct and through the router; updates/s merged from both upstreams."""
    telegram = Sandbox(token=DEFAULT_TOKEN, rate_limits=RateLimits.off())
    gateway = Sandbox(token=GATEWAY_TOKEN, rate_limits=RateLimits.off())
    await telegram.start()
    await gateway.start()
    on_telegram = list(range(1_000_001, 1_000_001 + SENDS // 2))
    on_matrix = [MATRIX_ID_BASE + n for n in range(SENDS // 2)]
    _members(telegram, on_telegram)
    _members(gateway, on_matrix)
    router = await start_router(
        token=DEFAULT_TOKEN,
        telegram_api_url=telegram.api_url,
        matrix_api_url=gateway.api_url,
        matrix_token=GATEWAY_TOKEN,
    )
    try:
        direct = await _send_all(telegram.api_url, DEFAULT_TOKEN, on_telegram * 2)
        mixed = [c for pair in zip(on_telegram, on_matrix, strict=True) for c in pair]
        routed = await _send_all(router.api_url, DEFAULT_TOKEN, mixed)
        writers = [telegram.user(u) for u in on_telegram[: UPDATES // 2]] + [
            gateway.user(u) for u in on_matrix[: UPDATES // 2]
        ]
        sending = asyncio.gather(
            *(w.send(f"message {i}") for i, w in zip(itertools.count(), writers))
        )
        read = await _read_all(router, UPDATES)
        await sending
    finally:
        await router.stop()
        await gateway.stop()
        await telegram.stop()
    return [
        {"case": "sendMessage direct", "count": SENDS, "per_s": round(SENDS / direct)},
        {
            "case": "sendMessage via router",
            "count": SENDS,
            "per_s": round(SENDS / routed),
            "ratio": round(direct / routed, 2),
        },
        {"case": "getUpdates merged", "count": UPDATES, "per_s": round(UPDATES / read)},
    ]
