"""mautrix against matrix-nio, side by side on the same local Synapse (issue 13's choice).

One Synapse (``bot/matrix/homeserver.py``, message limit lifted so the clients are what is
measured) serves both libraries in turn; the best
round of each is kept (three rounds, the order reversed each round: A B, B A, A B):

1. ``send seq``: one sender puts ``MESSAGES`` text events, one after the other, into a
   direct room (what a paced bot does): events/s.
2. ``send x8``: the same with 8 sends in flight: events/s.
3. ``sync``: the member's client syncs after every 50 sequential sends and parses the new
   events into the library's event objects: events/s over the time spent in ``/sync``.
4. ``import``: the seconds a fresh interpreter takes to import the client module.

Needs ``pip install mautrix matrix-nio`` besides ``.[test]`` (only the chosen one, mautrix,
is a project dependency); a library that is not installed gives a row saying so.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

from bot.matrix.homeserver import Account, Homeserver, SynapseLimits, synapse_installed

MESSAGES = 300
IN_FLIGHT = 8
ROUNDS = 3
LIFTED = SynapseLimits(message_per_second=100_000.0, message_burst=100_000)
BATCH = 50
"""The member syncs after every ``BATCH`` sends (Synapse caps a timeline at 100 events)."""
FILTER = {"room": {"timeline": {"limit": BATCH}}}
"""A /sync timeline otherwise stops at 10 events per room (``limited``): all are wanted."""
IMPORTS = {"mautrix": "mautrix.client", "matrix-nio": "nio"}


class Client(Protocol):
    async def send(self, room_id: str, text: str) -> None: ...
    async def sync(self, since: str | None, room_id: str) -> tuple[str, int]: ...
    async def create_direct(self, user_id: str) -> str: ...
    async def join(self, room_id: str) -> None: ...
    async def close(self) -> None: ...


class Mautrix:
    def __init__(self, homeserver: Homeserver, account: Account) -> None:
        from mautrix.client import ClientAPI

        self.api = ClientAPI(
            account.user_id, base_url=homeserver.base_url, token=account.access_token
        )

    async def send(self, room_id: str, text: str) -> None:
        await self.api.send_text(room_id, text)

    async def sync(self, since: str | None, room_id: str) -> tuple[str, int]:
        from mautrix.types import Event

        raw = await self.api.sync(since=since, timeout=0, filter_id=json.dumps(FILTER))
        room = raw.get("rooms", {}).get("join", {}).get(room_id, {})
        raws = room.get("timeline", {}).get("events", [])
        for event in raws:
            event["room_id"] = room_id
        events = [Event.deserialize(event) for event in raws]
        return raw["next_batch"], sum(1 for e in events if str(e.type) == "m.room.message")

    async def create_direct(self, user_id: str) -> str:
        return str(await self.api.create_room(invitees=[user_id], is_direct=True))

    async def join(self, room_id: str) -> None:
        await self.api.join_room(room_id)

    async def close(self) -> None:
        await self.api.api.session.close()


class Nio:
    def __init__(self, homeserver: Homeserver, account: Account) -> None:
        from nio import AsyncClient

        self.client = AsyncClient(homeserver.base_url, account.user_id, account.device_id)
        self.client.access_token = account.access_token

    async def send(self, room_id: str, text: str) -> None:
        from nio import RoomSendResponse

        answer = await self.client.room_send(
            room_id, "m.room.message", {"msgtype": "m.text", "body": text}
        )
        assert isinstance(answer, RoomSendResponse), answer

    async def sync(self, since: str | None, room_id: str) -> tuple[str, int]:
        from nio import RoomMessageText, SyncResponse

        answer = await self.client.sync(timeout=0, since=since, sync_filter=FILTER)
        assert isinstance(answer, SyncResponse), answer
        room = answer.rooms.join.get(room_id)
        events = room.timeline.events if room else []
        return answer.next_batch, sum(isinstance(e, RoomMessageText) for e in events)

    async def create_direct(self, user_id: str) -> str:
        answer = await self.client.room_create(invite=[user_id], is_direct=True)
        return str(answer.room_id)

    async def join(self, room_id: str) -> None:
        await self.client.join(room_id)

    async def close(self) -> None:
        await self.client.close()


LIBRARIES: dict[str, type[Mautrix] | type[Nio]] = {"mautrix": Mautrix, "matrix-nio": Nio}


def _import_seconds(module: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
    return time.perf_counter() - started


async def _round(
    homeserver: Homeserver, make: type[Mautrix] | type[Nio], n: str
) -> dict[str, float]:
    bot = make(homeserver, await homeserver.register(f"b{n}"))
    member_account = await homeserver.register(f"m{n}")
    member = make(homeserver, member_account)
    try:
        room_id = await bot.create_direct(member_account.user_id)
        await member.join(room_id)
        since, _ = await member.sync(None, room_id)
        sending = syncing = 0.0
        seen = 0
        for batch in range(MESSAGES // BATCH):
            started = time.perf_counter()
            for i in range(BATCH):
                await bot.send(room_id, f"message {batch}.{i}")
            sending += time.perf_counter() - started
            started = time.perf_counter()
            since, count = await member.sync(since, room_id)
            syncing += time.perf_counter() - started
            seen += count
        assert seen == MESSAGES, f"{seen} of {MESSAGES} events synced"
        gate = asyncio.Semaphore(IN_FLIGHT)

        async def one(i: int) -> None:
            async with gate:
                await bot.send(room_id, f"parallel {i}")

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(MESSAGES)))
        parallel = MESSAGES / (time.perf_counter() - started)
        sequential, synced = MESSAGES / sending, MESSAGES / syncing
        return {"send seq": sequential, "send x8": parallel, "sync": synced}
    finally:
        await bot.close()
        await member.close()


async def run() -> list[dict[str, Any]]:
    if not synapse_installed():
        return [{"scenario": "matrix clients", "note": "matrix-synapse not installed"}]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        homeserver = Homeserver(Path(folder), LIFTED)
        homeserver.start()
        try:
            await homeserver.wait_serving()
            best: dict[str, dict[str, float]] = {}
            for n in range(ROUNDS):
                order = list(LIBRARIES.items())
                for name, make in order if n % 2 == 0 else reversed(order):
                    if importlib.util.find_spec(IMPORTS[name]) is None:
                        continue
                    figures = await _round(homeserver, make, f"{n}{len(best)}{len(name)}")
                    kept = best.setdefault(name, figures)
                    for key, value in figures.items():
                        kept[key] = max(kept[key], value)
            for name in LIBRARIES:
                if name not in best:
                    rows.append({"scenario": name, "note": "not installed"})
                    continue
                row: dict[str, Any] = {"scenario": name}
                row.update({f"{k} ev/s": round(v) for k, v in best[name].items()})
                row["import s"] = round(_import_seconds(IMPORTS[name]), 2)
                rows.append(row)
        finally:
            homeserver.stop()
    return rows
