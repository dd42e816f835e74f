"""One pacer per messenger: real pacers on a simulated clock, several senders at once."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable

from bot.delivery import DeliveryEngine, DeliveryState, Pacer
from bot.delivery.transport_pacing import TransportPacers, matrix_pacer
from bot.rate_limiter import PacedRateLimiter
from bot.services import Services
from bot.storage.deliveries import DeliveryStore
from bot.transports import MATRIX_ID_BASE, Transport, transport_of_id
from tests.unit.delivery.conftest import FakeSender, max_in_window
from tests.unit.delivery.helpers import add_members, draft

TELEGRAM_RATE = 30
MATRIX_RATE = 10


class SimulatedTime:
    """A clock shared by concurrent tasks: it jumps to the next wake-up once all are waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._order), future))
        await future

    async def run(self, *work: Awaitable[object]) -> None:
        """Run ``work`` to the end, moving the clock whenever every task is asleep."""
        tasks = [asyncio.ensure_future(item) for item in work]
        while not all(task.done() for task in tasks):
            for _ in range(20):  # let every runnable task reach its next sleep
                await asyncio.sleep(0)
            if self._sleepers:
                wake, _, future = heapq.heappop(self._sleepers)
                self.now = max(self.now, wake)
                future.set_result(None)
        for task in tasks:
            task.result()


class Linked:
    """One Telegram member who reads the bot on Matrix (as ``/lier`` will allow)."""

    def __init__(self, member: int, matrix_account: int) -> None:
        self.member = member
        self.matrix_account = matrix_account

    def member_of(self, user_id: int) -> int:
        return self.member if user_id == self.matrix_account else user_id

    def route_of(self, chat_id: int) -> tuple[Transport, int]:
        if chat_id == self.member:
            return Transport.MATRIX, self.matrix_account
        return transport_of_id(chat_id), chat_id


def pacers_on(time: SimulatedTime) -> TransportPacers:
    telegram = Pacer(TELEGRAM_RATE, clock=time, sleep=time.sleep)
    matrix = Pacer(
        MATRIX_RATE, private_interval=0.0, group_per_minute=None, clock=time, sleep=time.sleep
    )
    return TransportPacers(telegram, matrix)


async def grants(
    pacers: TransportPacers, time: SimulatedTime, chats: list[int]
) -> dict[int, float]:
    """Each chat's grant instant, every chat asking at once (one task per chat)."""
    granted: dict[int, float] = {}

    async def one(chat_id: int) -> None:
        await pacers.for_chat(chat_id).acquire(chat_id)
        granted[chat_id] = time.now

    await time.run(*(one(chat_id) for chat_id in chats))
    return granted


async def test_a_matrix_burst_does_not_slow_telegram_and_each_stays_under_its_ceiling() -> None:
    time = SimulatedTime()
    pacers = pacers_on(time)
    matrix_chats = [MATRIX_ID_BASE + n for n in range(100)]
    telegram_chats = list(range(1, 61))

    granted = await grants(pacers, time, matrix_chats + telegram_chats)

    on_matrix = [granted[chat] for chat in matrix_chats]
    on_telegram = [granted[chat] for chat in telegram_chats]
    assert max_in_window(on_matrix) <= MATRIX_RATE
    assert max_in_window(on_telegram) <= TELEGRAM_RATE
    # 60 Telegram sends at 30/s take about 2 s, while the 100 Matrix sends take about 10 s:
    assert max(on_telegram) < 2.5 < 9.0 < max(on_matrix)


async def test_one_shared_pacer_would_hold_telegram_behind_the_matrix_burst() -> None:
    """The same burst through a single pacer: what per-transport pacing avoids."""
    time = SimulatedTime()
    shared = TransportPacers(Pacer(MATRIX_RATE, clock=time, sleep=time.sleep))
    matrix_chats = [MATRIX_ID_BASE + n for n in range(100)]
    telegram_chats = list(range(1, 61))

    granted = await grants(shared, time, matrix_chats + telegram_chats)

    assert max(granted[chat] for chat in telegram_chats) > 9.0


async def test_a_429_from_matrix_pauses_only_matrix_sends() -> None:
    time = SimulatedTime()
    pacers = pacers_on(time)
    pacers.for_chat(MATRIX_ID_BASE).pause(5.0)

    granted = await grants(pacers, time, [MATRIX_ID_BASE + 1, 7])

    assert granted[7] == 0.0
    assert granted[MATRIX_ID_BASE + 1] >= 5.0


async def test_the_pacer_follows_the_route_of_a_linked_member() -> None:
    pacers = TransportPacers(Pacer(TELEGRAM_RATE), matrix_pacer(MATRIX_RATE))
    pacers.addressing = Linked(member=42, matrix_account=MATRIX_ID_BASE + 9)
    assert pacers.for_chat(42) is pacers.matrix
    assert pacers.for_chat(43) is pacers.telegram
    assert pacers.for_chat(MATRIX_ID_BASE + 1) is pacers.matrix
    assert pacers.for_chat(-(MATRIX_ID_BASE + 5)) is pacers.matrix  # a Matrix room


async def test_without_a_matrix_pacer_every_send_shares_the_telegram_one() -> None:
    pacers = TransportPacers(Pacer(TELEGRAM_RATE))
    assert pacers.for_chat(MATRIX_ID_BASE + 1) is pacers.telegram
    pacers.serve_matrix(MATRIX_RATE)
    assert pacers.for_chat(MATRIX_ID_BASE + 1) is pacers.matrix
    assert pacers.matrix is not None and pacers.matrix.per_second == MATRIX_RATE


async def test_matrix_rooms_have_no_telegram_group_limit() -> None:
    time = SimulatedTime()
    pacers = pacers_on(time)
    room = -(MATRIX_ID_BASE + 3)

    async def thirty() -> None:
        for _ in range(30):
            await pacers.for_chat(room).acquire(room)

    await time.run(thirty())
    assert time.now < 5.0  # Telegram would allow 20 a minute in a group: 30 take > 60 s


async def test_the_engine_and_the_rate_limiter_share_the_same_pacers() -> None:
    class NoSender:
        async def open(self) -> None: ...

    engine = DeliveryEngine(None, NoSender(), None, None, matrix_rate=MATRIX_RATE)  # type: ignore[arg-type]
    assert engine.pacers.matrix is not None and engine.pacers.matrix.per_second == MATRIX_RATE
    assert engine.pacer is engine.pacers.telegram


async def test_replies_to_matrix_wait_for_the_matrix_budget_only() -> None:
    time = SimulatedTime()
    pacers = pacers_on(time)
    limiter = PacedRateLimiter(pacers)
    sent: list[tuple[int, float]] = []

    async def reply(chat_id: int) -> None:
        async def call() -> bool:
            sent.append((chat_id, time.now))
            return True

        await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": chat_id}, None)

    matrix_member, telegram_member = MATRIX_ID_BASE + 1, 5
    await time.run(*(reply(matrix_member) for _ in range(3 * MATRIX_RATE)), reply(telegram_member))

    assert dict(sent)[telegram_member] == 0.0
    assert max_in_window([at for chat, at in sent if chat == matrix_member]) <= MATRIX_RATE


async def test_in_one_send_telegram_rows_do_not_queue_behind_matrix_rows(
    services: Services, sender: FakeSender
) -> None:
    """Each messenger is a lane of the send with its own workers: few workers, slow Matrix."""
    engine = DeliveryEngine(
        DeliveryStore(services.db),
        sender,
        services.members,
        services.clock,
        concurrency=2,
        pacer=Pacer(1000, private_interval=0.05),
        matrix_rate=5,
    )
    matrix_ids = [MATRIX_ID_BASE + n for n in range(6)]
    telegram_ids = list(range(101, 107))
    interleaved = [chat for pair in zip(matrix_ids, telegram_ids, strict=True) for chat in pair]
    await add_members(services, interleaved)
    send_id, _ = await engine.create_send(draft(), interleaved)

    report = await engine.run(send_id)
    await engine.close()

    assert report is not None and report.counts[DeliveryState.SENT] == 12
    order = sender.chats()
    last_telegram = max(order.index(chat) for chat in telegram_ids)
    third_matrix = sorted(order.index(chat) for chat in matrix_ids)[2]
    assert last_telegram < third_matrix, order
