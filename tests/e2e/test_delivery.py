"""The delivery engine through the sandbox: exactly once, 403, 429, and a real kill -9."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.delivery import Attachment, Content, DeliveryState, Draft, Message, SendStatus
from bot.sandbox import RateLimits, Sandbox
from bot.services import Services
from bot.storage.db import Database
from schedules import schedule_send
from tests.conftest import TEST_TOKEN
from tests.e2e.conftest import Network

OPT_OUT = {"inline_keyboard": [[{"text": "Ne plus recevoir", "callback_data": "optout:1:lettre"}]]}
NEWSLETTER = Content(
    {
        "fr": Message(("<b>La lettre du réseau</b>\nÀ la une : la visio de mars.",), OPT_OUT),
        "en": Message(("<b>The network letter</b>\nHeadline: the March video call.",)),
    }
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The engine paced at 300/s, the ceiling the e2e sandbox enforces (Telegram's x10)."""
    return replace(settings, send_rate=300)


def delivered(sandbox: Sandbox) -> Counter[int]:
    """How many messages each chat received, as recorded by the sandbox."""
    return Counter(
        int(r.params["chat_id"])
        for r in sandbox.requests
        if r.method == "sendMessage" and r.status == 200
    )


async def until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    """Wait until ``condition()`` holds."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached in time")


async def test_a_scheduled_newsletter_reaches_every_member_exactly_once(network: Network) -> None:
    french = [await network.member(f"Membre {i}") for i in range(100)]
    english = [await network.member(f"Member {i}", "en") for i in range(20)]
    engine, clock = network.services.deliveries, network.services.clock
    due = clock.now() + timedelta(seconds=1)
    ids = [user.user_id for user in french + english]
    send_id, audience = await engine.create_send(
        Draft("newsletter", "lettre", NEWSLETTER, due_at=due), ids
    )
    assert audience.eligible == 120
    assert network.runtime is not None and network.runtime.application is not None
    schedule_send(network.runtime.application, send_id, due, clock.now())

    letter = await french[0].expect("La lettre du réseau", timeout=10)
    await english[-1].expect("The network letter", timeout=10)
    assert french[0].buttons(letter["message_id"]) == [["Ne plus recevoir"]]
    report = await engine.run(send_id)

    assert report is not None and report.status is SendStatus.DONE
    assert report.counts[DeliveryState.SENT] == 120
    assert delivered(network.sandbox) == Counter(ids)
    assert network.sandbox.stats.too_many_requests == 0


async def test_an_attachment_arrives_after_the_text_with_its_caption(network: Network) -> None:
    alice = await network.member("Alice")
    ics = Attachment("visio.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "<b>Agenda</b>")
    content = Content({"fr": replace(NEWSLETTER.messages["fr"], attachment=ics)})
    engine = network.services.deliveries
    send_id, _ = await engine.create_send(Draft("newsletter", "lettre", content), [alice.user_id])

    report = await engine.run(send_id)

    letter = await alice.expect("La lettre du réseau")
    document = await alice.expect_document()
    assert (document.filename, document.data, document.caption) == (
        ics.filename,
        ics.data,
        "Agenda",
    )
    assert alice.buttons(letter["message_id"]) == [["Ne plus recevoir"]]
    assert report is not None and report.counts[DeliveryState.SENT] == 1


async def test_a_member_who_blocked_the_bot_is_marked_and_skipped_next_time(
    network: Network,
) -> None:
    members = [await network.member(f"Membre {i}") for i in range(5)]
    members[2].block()
    engine = network.services.deliveries
    ids = [user.user_id for user in members]
    send_id, _ = await engine.create_send(Draft("reminder", "rappel", NEWSLETTER), ids)

    report = await engine.run(send_id)

    assert report is not None
    assert (report.counts[DeliveryState.SENT], report.counts[DeliveryState.BLOCKED]) == (4, 1)
    blocked = await network.services.members.get(members[2].user_id)
    assert blocked is not None and blocked.unreachable_at is not None
    _, next_time = await engine.create_send(Draft("reminder", "rappel", NEWSLETTER), ids)
    assert next_time.skipped == {"unreachable": 1}
    assert delivered(network.sandbox)[members[2].user_id] == 0


async def test_429_pauses_then_every_message_is_retried_once_through(network: Network) -> None:
    members = [await network.member(f"Membre {i}") for i in range(60)]
    network.sandbox.rate_limits = RateLimits.telegram()  # 30/s while the bot aims at 300/s
    engine = network.services.deliveries
    ids = [user.user_id for user in members]
    send_id, _ = await engine.create_send(Draft("reminder", "rappel", NEWSLETTER), ids)

    report = await engine.run(send_id)

    assert network.sandbox.stats.too_many_requests > 0
    assert report is not None and report.counts[DeliveryState.SENT] == 60
    assert delivered(network.sandbox) == Counter(ids)


async def _row_states(db_path: Path, send_id: int) -> dict[int, str]:
    db = await Database.open(db_path)
    try:
        rows = await db.fetchall(
            "SELECT chat_id, state FROM deliveries WHERE send_id = ?", (send_id,)
        )
    finally:
        await db.close()
    return {row["chat_id"]: row["state"] for row in rows}


async def test_killed_mid_send_then_restarted_loses_and_doubles_nobody(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    db_path = tmp_path / "crash.db"
    configured = replace(settings, api_url=sandbox.api_url, db_path=db_path)
    ids = list(range(5001, 5401))
    services = await Services.open(configured)
    for user_id in ids:
        sandbox.add_user(user_id, f"Membre {user_id}", started=True)
        await services.members.accept_privacy(user_id, "fr")
    send_id, _ = await services.deliveries.create_send(
        Draft("newsletter", "lettre", NEWSLETTER), ids
    )
    await services.close()
    env = {
        **os.environ,
        "MAILLAGE_BOT_TOKEN": TEST_TOKEN,
        "MAILLAGE_API_URL": sandbox.api_url,
        "MAILLAGE_DB": str(db_path),
        "MAILLAGE_SEND_RATE": "300",
    }

    async def engine_process() -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.delivery", env=env, stdout=asyncio.subprocess.PIPE
        )

    first = await engine_process()
    await until(lambda: sandbox.stats.messages_sent >= 100)
    os.kill(first.pid, signal.SIGKILL)
    await first.wait()
    at_kill = await _row_states(db_path, send_id)
    in_flight = Counter(at_kill.values())["sending"]
    assert sandbox.stats.messages_sent < len(ids)

    outputs = []
    for _ in range(2):  # restart, then restart again: the second finds nothing to do
        restarted = await engine_process()
        output, _ = await restarted.communicate()
        assert restarted.returncode == 0
        outputs.append(output)
    assert b'"status": "done"' in outputs[0]
    assert outputs[1] == b""

    received = delivered(sandbox)
    states = await _row_states(db_path, send_id)
    duplicated = [chat for chat, count in received.items() if count > 1]
    lost = [chat for chat in ids if received[chat] == 0 and states[chat] != "unknown"]
    claimed_but_missing = [chat for chat in ids if states[chat] == "sent" and not received[chat]]
    assert (duplicated, lost, claimed_but_missing) == ([], [], [])
    assert Counter(states.values())["unknown"] <= in_flight
    assert set(states.values()) <= {"sent", "unknown"}
