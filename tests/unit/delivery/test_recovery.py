from collections import Counter
from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.delivery import DeliveryState, MaybeSent, Recipient, RetryLater, SendStatus
from bot.delivery.model import Outcome
from bot.services import Services
from bot.storage.deliveries import DeliveryStore
from tests.unit.delivery.conftest import FakeSender, make_engine
from tests.unit.delivery.helpers import add_members, draft


async def _crashed_send(services: Services, store: DeliveryStore) -> int:
    """A send whose process claimed rows of members 1-3, saw 1 through, then died."""
    engine = make_engine(services, FakeSender())
    members = await add_members(services, range(1, 11))
    send_id, _ = await engine.create_send(draft(), members)
    now = services.clock.now()
    assert await store.begin(send_id, now)
    rows = await store.pending_page(send_id, 0, 3, now)
    assert len(await store.commit([], [row.id for row in rows], now)) == 3
    sent = Outcome(rows[0].id, DeliveryState.SENT, 1, (501,), now)
    await store.commit([sent], [], now)
    return send_id


async def test_recovery_reports_interrupted_rows_and_resumes_without_resending(
    services: Services, store: DeliveryStore, sender: FakeSender
) -> None:
    send_id = await _crashed_send(services, store)
    engine = make_engine(services, sender)

    assert await engine.recover() == {send_id: 2}
    assert [ref for ref, _ in await engine.due_sends()] == [send_id]
    report = await engine.run(send_id)

    assert sorted(sender.chats()) == list(range(4, 11))
    assert report is not None and report.status is SendStatus.DONE
    assert report.counts[DeliveryState.SENT] == 8
    assert report.counts[DeliveryState.UNKNOWN] == 2
    await engine.close()


async def test_restarting_twice_never_sends_twice(
    services: Services, store: DeliveryStore, sender: FakeSender
) -> None:
    send_id = await _crashed_send(services, store)
    for _ in range(3):
        engine = make_engine(services, sender)
        await engine.open()
        for due_id, _ in await engine.due_sends():
            await engine.run(due_id)
        await engine.close()

    assert Counter(sender.chats()) == Counter(range(4, 11))
    report = await make_engine(services, sender).report(send_id)
    assert report is not None and report.counts[DeliveryState.UNKNOWN] == 2


async def test_resend_only_on_request_and_only_to_failed_or_unknown(
    services: Services, store: DeliveryStore, sender: FakeSender
) -> None:
    send_id = await _crashed_send(services, store)
    engine = make_engine(services, sender)
    await engine.recover()
    await engine.run(send_id)

    with pytest.raises(ValueError, match="can be sent again"):
        await engine.resend(send_id, [DeliveryState.SENT])
    assert await engine.resend(send_id) == 2
    report = await engine.run(send_id)

    assert Counter(sender.chats()) == Counter(range(2, 11))
    assert report is not None and report.counts[DeliveryState.SENT] == 10
    assert report.status is SendStatus.DONE
    assert await engine.resend(send_id) == 0
    await engine.close()


async def test_rows_held_by_not_before_wait_for_their_time(
    services: Services, sender: FakeSender, clock: FrozenClock
) -> None:
    engine = make_engine(services, sender)
    members = await add_members(services, [1])
    later = clock.now() + timedelta(hours=9)
    quiet = Recipient(chat_id=2, language="en", not_before=later)
    send_id, audience = await engine.create_send(draft(), members, [quiet])
    assert audience.eligible == 2

    first = await engine.run(send_id)
    assert first is not None and first.status is SendStatus.SENDING
    assert first.next_due == later
    assert await engine.due_sends() == [(send_id, later)]
    clock.set(later)
    second = await engine.run(send_id)

    assert sender.chats() == [1, 2]
    assert second is not None and second.status is SendStatus.DONE
    assert second.next_due is None
    await engine.close()


async def test_stopping_mid_send_leaves_nothing_in_doubt_and_the_next_start_finishes(
    services: Services, sender: FakeSender
) -> None:
    members = await add_members(services, range(1, 41))
    sender.latency = 0.02
    engine = make_engine(services, sender, concurrency=4)
    send_id, _ = await engine.create_send(draft(), members)
    engine.launch(send_id)
    await sender.wait_for_calls(8)
    await engine.close()

    stopped = await engine.report(send_id)
    assert stopped is not None and stopped.status is SendStatus.SENDING
    assert stopped.counts[DeliveryState.SENDING] == 0
    assert stopped.counts[DeliveryState.SENT] == len(sender.calls) < 40
    restarted = make_engine(services, sender)
    assert await restarted.recover() == {}
    await restarted.run(send_id)
    assert sorted(sender.chats()) == members
    await restarted.close()


async def test_a_row_waiting_out_a_long_429_goes_back_to_pending_at_shutdown(
    services: Services, sender: FakeSender
) -> None:
    members = await add_members(services, range(1, 6))
    sender.script[1] = [RetryLater(30)]
    engine = make_engine(services, sender, concurrency=2)
    send_id, _ = await engine.create_send(draft(), members)
    engine.launch(send_id)
    await sender.wait_for_calls(1)
    await engine.close(grace=0.1)

    report = await engine.report(send_id)
    assert report is not None
    assert report.counts[DeliveryState.SENDING] == 0
    assert report.counts[DeliveryState.PENDING] == 5 - len(sender.delivered())


async def test_a_resend_goes_on_from_the_first_part_not_out(
    services: Services, sender: FakeSender
) -> None:
    engine = make_engine(services, sender)
    members = await add_members(services, [1])
    send_id, _ = await engine.create_send(draft(["un", "deux", "trois"]), members)
    sender.script[1] = []

    def time_out_on_the_second_part(_: int) -> None:
        if len(sender.calls) == 1:
            sender.script[1].append(MaybeSent("timed out"))

    sender.on_send = time_out_on_the_second_part
    first = await engine.run(send_id)
    await engine.resend(send_id)
    second = await engine.run(send_id)

    assert first is not None and first.counts[DeliveryState.UNKNOWN] == 1
    assert [call.text for call in sender.calls] == ["un", "deux", "deux", "trois"]
    assert second is not None and second.counts[DeliveryState.SENT] == 1
    await engine.close()
