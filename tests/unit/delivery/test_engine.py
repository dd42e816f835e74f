import asyncio
import itertools
from collections import Counter
from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.delivery import (
    Blocked,
    DeliveryEngine,
    DeliveryState,
    Failed,
    MaybeSent,
    NotSentRetryable,
    RetryLater,
    SendStatus,
)
from bot.services import Services
from tests.unit.delivery.conftest import FakeSender, make_engine, max_in_window
from tests.unit.delivery.helpers import OPT_OUT, add_members, draft


async def test_every_member_gets_exactly_one_copy_in_their_language(
    services: Services, engine: DeliveryEngine, sender: FakeSender
) -> None:
    french = await add_members(services, range(1, 41))
    english = await add_members(services, range(41, 51), "en")
    send_id, audience = await engine.create_send(draft(), french + english)
    assert audience.eligible == 50

    report = await engine.run(send_id)

    assert report is not None
    assert Counter(sender.chats()) == Counter(french + english)
    texts = {call.chat_id: call.text for call in sender.delivered()}
    assert {texts[i] for i in french} == {"<b>Bonjour</b>"}
    assert {texts[i] for i in english} == {"<b>Hello</b>"}
    assert report.status is SendStatus.DONE
    assert report.counts[DeliveryState.SENT] == report.total == 50
    assert report.finished_at == services.clock.now()


async def test_parts_go_in_order_with_the_keyboard_under_the_last(
    services: Services, engine: DeliveryEngine, sender: FakeSender
) -> None:
    members = await add_members(services, [7, 8])
    send_id, _ = await engine.create_send(draft(["un", "deux", "trois"]), members)

    await engine.run(send_id)

    to_seven = [call for call in sender.calls if call.chat_id == 7]
    assert [call.text for call in to_seven] == ["un", "deux", "trois"]
    assert [call.keyboard for call in to_seven] == [None, None, OPT_OUT]
    gaps = [b.at - a.at for a, b in itertools.pairwise(to_seven)]
    assert min(gaps) >= 0.05  # the per-chat interval (shortened for tests)


async def test_the_overall_ceiling_holds_with_many_workers(
    services: Services, sender: FakeSender
) -> None:
    engine = make_engine(services, sender, rate=100, concurrency=32)
    members = await add_members(services, range(1, 221))
    send_id, _ = await engine.create_send(draft(), members)

    await engine.run(send_id)

    assert sorted(sender.chats()) == members
    assert max_in_window([call.at for call in sender.calls]) <= 100
    await engine.close()


async def test_429_pauses_every_send_then_retries_the_message(
    services: Services, engine: DeliveryEngine, sender: FakeSender
) -> None:
    members = await add_members(services, range(1, 31))
    sender.script[5] = [RetryLater(0.3)]
    send_id, _ = await engine.create_send(draft(), members)

    report = await engine.run(send_id)

    assert report is not None and report.counts[DeliveryState.SENT] == 30
    refused = next(call for call in sender.calls if not call.ok)
    during_pause = [c for c in sender.calls if refused.at < c.at < refused.at + 0.29]
    assert during_pause == []
    assert [call.ok for call in sender.calls if call.chat_id == 5] == [False, True]
    assert await _attempts(services, send_id, 5) == 2


async def test_403_marks_the_row_blocked_and_the_member_unreachable(
    services: Services, engine: DeliveryEngine, sender: FakeSender
) -> None:
    members = await add_members(services, [1, 2, 3])
    sender.script[2] = [Blocked("Forbidden: bot was blocked by the user")]
    send_id, _ = await engine.create_send(draft(["première", "seconde"]), members)

    report = await engine.run(send_id)

    assert report is not None
    assert report.counts[DeliveryState.BLOCKED] == 1
    assert report.counts[DeliveryState.SENT] == 2
    assert [call.text for call in sender.calls if call.chat_id == 2] == ["première"]
    member = await services.members.get(2)
    assert member is not None and member.unreachable_at is not None
    _, later = await engine.create_send(draft(), members)
    assert later.eligible == 2 and later.skipped == {"unreachable": 1}


async def test_a_network_failure_before_sending_is_retried_with_backoff(
    services: Services, engine: DeliveryEngine, sender: FakeSender
) -> None:
    members = await add_members(services, [1, 2])
    sender.script[1] = [NotSentRetryable("connection refused")] * 2
    sender.script[2] = [NotSentRetryable("connection refused")] * 4
    send_id, _ = await engine.create_send(draft(), members)

    report = await engine.run(send_id)

    assert report is not None
    first = [call for call in sender.calls if call.chat_id == 1]
    assert [call.ok for call in first] == [False, False, True]
    assert first[1].at - first[0].at >= 0.02
    assert first[2].at - first[1].at >= 0.04
    assert report.counts[DeliveryState.SENT] == 1
    assert report.counts[DeliveryState.FAILED] == 1  # gave up after 4 tries
    assert len([call for call in sender.calls if call.chat_id == 2]) == 4
    assert "gave up after 4 tries" in await _error(services, send_id, 2)


async def test_a_request_that_may_have_left_becomes_unknown_and_is_not_retried(
    services: Services, engine: DeliveryEngine, sender: FakeSender
) -> None:
    members = await add_members(services, [1, 2, 3])
    sender.script[1] = [MaybeSent("timed out")]
    sender.script[2] = [Failed("Bad Request: can't parse entities")]
    sender.script[3] = [RuntimeError("a bug in a sender")]
    send_id, _ = await engine.create_send(draft(), members)

    report = await engine.run(send_id)

    assert report is not None and report.status is SendStatus.DONE
    assert report.counts[DeliveryState.UNKNOWN] == 2
    assert report.counts[DeliveryState.FAILED] == 1
    assert len(sender.calls) == 3
    assert await _error(services, send_id, 2) == "Bad Request: can't parse entities"


async def test_members_left_out_at_creation_and_preview(
    services: Services, engine: DeliveryEngine, sender: FakeSender
) -> None:
    members = await add_members(services, range(1, 7))
    await services.members.set_subscribed(2, False)
    await services.members.set_reachable(3, False)
    await engine.preferences.set_opted_out(4, "newsletter", True)
    await engine.preferences.set_opted_out(5, "reminder", True)
    asked = [*members, 99, 1]  # 99 is not a member; 1 twice

    preview = await engine.audience(asked, "newsletter")
    send_id, created = await engine.create_send(draft(), asked)
    await engine.run(send_id)

    expected = {"unsubscribed": 1, "unreachable": 1, "opted_out": 1, "not_member": 1}
    assert preview.eligible == created.eligible == 3
    assert preview.skipped == created.skipped == expected
    assert sorted(sender.chats()) == [1, 5, 6]
    await engine.preferences.set_opted_out(4, "newsletter", False)
    assert (await engine.audience(members, "newsletter")).eligible == 4


async def test_a_scheduled_send_waits_for_its_time_and_can_be_cancelled(
    services: Services, engine: DeliveryEngine, sender: FakeSender, clock: FrozenClock
) -> None:
    members = await add_members(services, [1, 2])
    due = clock.now() + timedelta(hours=1)
    send_id, _ = await engine.create_send(draft(due_at=due), members)

    early = await engine.run(send_id)
    assert early is not None and early.status is SendStatus.SCHEDULED
    assert await engine.due_sends() == [(send_id, due)]
    assert await engine.cancel(send_id)
    assert not await engine.cancel(send_id)
    clock.advance(timedelta(hours=2))
    late = await engine.run(send_id)

    assert late is not None and late.status is SendStatus.CANCELLED
    assert late.counts[DeliveryState.PENDING] == 2
    assert sender.calls == []
    assert await engine.due_sends() == []


async def test_cancelling_a_send_under_way_stops_it(services: Services, sender: FakeSender) -> None:
    engine = make_engine(services, sender, concurrency=1)
    members = await add_members(services, range(1, 21))
    send_id, _ = await engine.create_send(draft(), members)
    cancelled: list[asyncio.Task[bool]] = []

    def cancel_after_the_third(_: int) -> None:
        if len(sender.calls) == 3:
            cancelled.append(asyncio.create_task(engine.cancel(send_id)))

    sender.on_send = cancel_after_the_third
    report = await engine.run(send_id)

    assert await cancelled[0]

    assert report is not None
    assert 3 <= len(sender.calls) <= 5
    final = await engine.report(send_id)
    assert final is not None and final.status is SendStatus.CANCELLED
    assert final.counts[DeliveryState.PENDING] == 20 - len(sender.calls)
    await engine.close()


async def _attempts(services: Services, send_id: int, chat_id: int) -> int:
    row = await services.db.fetchone(
        "SELECT attempts FROM deliveries WHERE send_id = ? AND chat_id = ?", (send_id, chat_id)
    )
    assert row is not None
    return int(row["attempts"])


async def _error(services: Services, send_id: int, chat_id: int) -> str:
    row = await services.db.fetchone(
        "SELECT error FROM deliveries WHERE send_id = ? AND chat_id = ?", (send_id, chat_id)
    )
    assert row is not None
    return str(row["error"])


@pytest.fixture(autouse=True)
def _quiet_engine_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("CRITICAL", logger="bot.delivery.run")


async def test_a_keyed_send_created_twice_is_one_send_delivered_once(
    services: Services, engine: DeliveryEngine, sender: FakeSender
) -> None:
    members = await add_members(services, [3, 4])
    first, audience = await engine.create_send(draft(key="reply:1"), members)
    await engine.run(first)
    again, same = await engine.create_send(draft(["Autre"], key="reply:1"), members)
    await engine.run(again)
    other, _ = await engine.create_send(draft(key="reply:2"), members)

    assert again == first and other != first
    assert same.eligible == audience.eligible == 2
    assert Counter(sender.chats()) == Counter(members)  # once each, the first content only
    assert {call.text for call in sender.delivered()} == {"<b>Bonjour</b>"}
