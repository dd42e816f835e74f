"""The delivery engine against a sandbox in another process (``python -m bench delivery``).

1. ``paced``: 10,000 recipients, the sandbox enforcing Telegram's limits scaled to a 300/s
   ceiling and the engine configured to 300/s: achieved rate ÷ ceiling, the largest number
   of messages the SANDBOX received in any 1-second window, 429s, lost, duplicated.
2. ``top speed``: the same with the sandbox limits off and the engine at its maximum
   setting: the engine's own top rate.
3. ``kill -9``: 2,000 recipients sent by ``python -m bot.delivery`` in a child process,
   killed mid-send, then started again until done: lost, duplicated, unknown vs in flight.

Recipients are addressed as chats (no member rows to seed); every figure about what was
received comes from the sandbox's own record of requests.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import MAX_SEND_RATE, Settings
from bot.delivery import Content, DeliveryState, Draft, Message, Recipient
from bot.sandbox import RateLimits, SandboxClient
from bot.services import Services
from bot.storage.db import Database

TOKEN = "123456789:AAH-bench-token-for-maillage-delivery"
CEILING = 300
PACED_RECIPIENTS = 10_000
CRASH_RECIPIENTS = 2_000
KILL_AFTER = 800
CONTENT = Content(
    {
        "fr": Message(
            ("<b>La lettre du réseau</b>\nÀ la une : la visio de mars, jeudi à 14 h.",),
            {"inline_keyboard": [[{"text": "Ne plus recevoir", "callback_data": "optout:1:n"}]]},
        )
    }
)
_SANDBOX = (
    "import asyncio, gc, sys\n"
    "gc.disable()\n"
    "from bot.sandbox import RateLimits, serve\n"
    "asyncio.run(serve(port=0, token=sys.argv[1], rate_limits=RateLimits.off(),"
    " announce=lambda line: print(line, flush=True)))\n"
)


@dataclass(frozen=True)
class Remote:
    """A sandbox in a child process."""

    api_url: str
    client: SandboxClient


@asynccontextmanager
async def sandbox_process(users: int) -> AsyncIterator[Remote]:
    """Start a standalone sandbox in a child process with ``users`` started members."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _SANDBOX, TOKEN, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        line = (await child.stdout.readline()).decode()
        fields = dict(part.split("=", 1) for part in line.split()[2:])
        async with SandboxClient(fields["control"]) as client:
            for first in range(1, users + 1, 100):
                await asyncio.gather(
                    *(
                        client.add_user(user_id, f"Membre {user_id}", started=True)
                        for user_id in range(first, min(first + 100, users + 1))
                    )
                )
            yield Remote(fields["api"], client)
    finally:
        child.kill()
        await child.wait()


async def received_since(remote: Remote, index: int) -> list[dict[str, Any]]:
    """The sendMessage requests the sandbox accepted after request number ``index``."""
    return [
        r
        for r in await remote.client.requests(index)
        if r["method"] == "sendMessage" and r["status"] == 200
    ]


async def messages_reach(remote: Remote, count: int) -> None:
    """Return once the sandbox has accepted ``count`` messages in all."""
    for _ in range(10_000):
        if (await remote.client.stats())["messages_sent"] >= count:
            return
        await asyncio.sleep(0.02)
    raise TimeoutError(f"the sandbox never reached {count} messages")


def largest_window(times: list[float], span: float = 1.0) -> int:
    """The largest number of instants in any window of ``span`` seconds."""
    ordered, start, best = sorted(times), 0, 0
    for end, instant in enumerate(ordered):
        while ordered[start] <= instant - span:
            start += 1
        best = max(best, end - start + 1)
    return best


def losses(expected: list[int], received: list[dict[str, Any]]) -> tuple[int, int]:
    """(lost, duplicated) recipients according to the sandbox."""
    per_chat = Counter(int(r["params"]["chat_id"]) for r in received)
    return (
        sum(1 for chat in expected if per_chat[chat] == 0),
        sum(1 for count in per_chat.values() if count > 1),
    )


def settings_for(remote: Remote, db_path: Path, rate: int) -> Settings:
    """Settings pointing the engine at the sandbox."""
    return Settings(bot_token=TOKEN, api_url=remote.api_url, db_path=db_path, send_rate=rate)


async def create_send(settings: Settings, recipients: int) -> int:
    """Write a send to ``recipients`` chats into the database."""
    services = await Services.open(settings)
    try:
        chats = [Recipient(chat_id, "fr") for chat_id in range(1, recipients + 1)]
        send_id, _ = await services.deliveries.create_send(
            Draft("newsletter", "lettre", CONTENT), chats=chats
        )
        return send_id
    finally:
        await services.close()


async def in_process(remote: Remote, settings: Settings, recipients: int) -> dict[str, Any]:
    """Run one send in this process; return rates and what the sandbox saw."""
    send_id = await create_send(settings, recipients)
    before = (await remote.client.stats())["requests"]
    too_many = (await remote.client.stats())["too_many_requests"]
    services = await Services.open(settings)
    try:
        await services.deliveries.open()
        started = time.perf_counter()
        report = await services.deliveries.run(send_id)
        seconds = time.perf_counter() - started
    finally:
        await services.close()
    assert report is not None
    received = await received_since(remote, before)
    lost, duplicated = losses(list(range(1, recipients + 1)), received)
    return {
        "recipients": recipients,
        "sent": report.counts[DeliveryState.SENT],
        "seconds": round(seconds, 2),
        "rate_per_s": round(report.counts[DeliveryState.SENT] / seconds),
        "largest_1s_window": largest_window([r["time"] for r in received]),
        "429s": (await remote.client.stats())["too_many_requests"] - too_many,
        "lost": lost,
        "duplicated": duplicated,
    }


async def paced(remote: Remote, folder: Path) -> dict[str, Any]:
    """Scenario 1: Telegram's limits scaled to a 300/s ceiling, engine at 300/s."""
    await remote.client.set_rate_limits(RateLimits.telegram(scale=CEILING / 30))
    row = await in_process(
        remote, settings_for(remote, folder / "paced.db", CEILING), PACED_RECIPIENTS
    )
    return {
        "scenario": "paced",
        "ceiling": CEILING,
        **row,
        "rate_vs_ceiling": round(row["rate_per_s"] / CEILING, 3),
    }


async def top_speed(remote: Remote, folder: Path) -> dict[str, Any]:
    """Scenario 2: the sandbox's limits off, the engine at its highest setting."""
    await remote.client.set_rate_limits(RateLimits.off())
    settings = settings_for(remote, folder / "top.db", MAX_SEND_RATE)
    return {"scenario": "top speed", **await in_process(remote, settings, PACED_RECIPIENTS)}


async def row_states(db_path: Path) -> dict[int, str]:
    """The state of every delivery row, by chat."""
    db = await Database.open(db_path)
    try:
        rows = await db.fetchall("SELECT chat_id, state FROM deliveries")
    finally:
        await db.close()
    return {row["chat_id"]: row["state"] for row in rows}


async def killed(remote: Remote, folder: Path) -> dict[str, Any]:
    """Scenario 3: kill -9 of the engine process mid-send, restart, completion."""
    await remote.client.set_rate_limits(RateLimits.telegram(scale=CEILING / 30))
    settings = settings_for(remote, folder / "crash.db", CEILING)
    await create_send(settings, CRASH_RECIPIENTS)
    before = (await remote.client.stats())["requests"]
    env = {
        **os.environ,
        "MAILLAGE_BOT_TOKEN": TOKEN,
        "MAILLAGE_API_URL": remote.api_url,
        "MAILLAGE_DB": str(settings.db_path),
        "MAILLAGE_SEND_RATE": str(CEILING),
    }

    async def engine_process() -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.delivery", env=env, stdout=asyncio.subprocess.DEVNULL
        )

    child = await engine_process()
    await messages_reach(remote, (await remote.client.stats())["messages_sent"] + KILL_AFTER)
    os.kill(child.pid, signal.SIGKILL)
    await child.wait()
    in_flight = Counter((await row_states(settings.db_path)).values())["sending"]
    received_at_kill = len(await received_since(remote, before))
    await (await engine_process()).wait()
    states = await row_states(settings.db_path)
    received = await received_since(remote, before)
    per_chat = Counter(int(r["params"]["chat_id"]) for r in received)
    unknown = [chat for chat, state in states.items() if state == "unknown"]
    return {
        "scenario": "kill -9",
        "recipients": CRASH_RECIPIENTS,
        "received_at_kill": received_at_kill,
        "in_flight_at_kill": in_flight,
        "unknown": len(unknown),
        "unknown_received": sum(1 for chat in unknown if per_chat[chat]),
        "sent": Counter(states.values())["sent"],
        "lost": sum(
            1 for chat, state in states.items() if state != "unknown" and not per_chat[chat]
        ),
        "duplicated": sum(1 for count in per_chat.values() if count > 1),
        "unfinished": sum(1 for state in states.values() if state in ("pending", "sending")),
    }


async def run() -> list[dict[str, Any]]:
    """The three scenarios, in one sandbox process."""
    with tempfile.TemporaryDirectory() as folder:
        async with sandbox_process(PACED_RECIPIENTS) as remote:
            return [
                await paced(remote, Path(folder)),
                await top_speed(remote, Path(folder)),
                await killed(remote, Path(folder)),
            ]
