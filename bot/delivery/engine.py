"""The delivery engine: the one path for bulk messages, from outbox rows to reports."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.delivery.model import (
    RESENDABLE,
    Audience,
    DeliveryState,
    Draft,
    Recipient,
    Send,
    SendStatus,
)
from bot.delivery.pacing import Pacer
from bot.delivery.preferences import DeliveryPreferences
from bot.delivery.report import SendReport
from bot.delivery.run import Reachability, RetryPolicy, RunContext, SendRun
from bot.delivery.sender import Sender
from bot.delivery.transport_pacing import TransportPacers, matrix_pacer
from bot.storage.deliveries import DeliveryStore
from bot.transports import Addressing

logger = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 64
STOP_GRACE_SECONDS = 10.0


class DeliveryEngine:
    """Creates sends as outbox rows and delivers them under the flood limits, crash-safely.

    Rows are the truth: a row is committed ``sending`` before its request leaves and its
    outcome is committed after. ``recover()`` (start-up only, before any send runs) turns
    rows left ``sending`` by a crash into ``unknown``; they are reported, never resent
    unless asked (``resend``). A row with several parts stays ``sending`` until its last
    part is out; its outcome lists every part's message id, and a resend goes on from the
    first part not out. A send runs as one background task per send (``launch``).
    """

    def __init__(
        self,
        store: DeliveryStore,
        sender: Sender,
        reachability: Reachability,
        clock: Clock,
        *,
        rate: int = 30,
        concurrency: int = DEFAULT_CONCURRENCY,
        retry: RetryPolicy | None = None,
        pacer: Pacer | None = None,
        matrix_rate: int | None = None,
        addressing: Addressing | None = None,
        zone: ZoneInfo | None = None,
    ) -> None:
        self.preferences = DeliveryPreferences(store, clock)
        self._store = store
        self._clock = clock
        self._zone = zone or ZoneInfo("UTC")
        self._context = RunContext(
            store,
            sender,
            TransportPacers(
                pacer or Pacer(rate),
                matrix_pacer(matrix_rate) if matrix_rate is not None else None,
                addressing,
            ),
            reachability,
            clock,
            concurrency,
            retry or RetryPolicy(),
        )
        self._tasks: dict[int, asyncio.Task[SendReport | None]] = {}
        self._runs: dict[int, SendRun] = {}
        self._again: set[int] = set()
        self._closing = False

    @property
    def pacer(self) -> Pacer:
        """The Telegram pacer (bulk sends and the bot's replies to Telegram chats)."""
        return self._context.pacers.telegram

    @property
    def pacers(self) -> TransportPacers:
        """The pacer of each messenger, shared with the Application's rate limiter."""
        return self._context.pacers

    # -- lifecycle --------------------------------------------------------------------------

    async def open(self) -> dict[int, int]:
        """Connect the sender and recover from an interruption (see ``recover``)."""
        await self._context.sender.open()
        return await self.recover()

    async def recover(self) -> dict[int, int]:
        """Turn rows left ``sending`` into ``unknown``; return their number per send.

        Call it once at start-up, before any send runs in any process: a row ``sending``
        at that moment was interrupted mid-request. Sends left under way resume when they
        are launched again (the ``send`` job does it at start-up).
        """
        interrupted = await self._store.mark_interrupted(self._clock.now())
        for send_id, count in interrupted.items():
            logger.warning(
                "send %s: %s message(s) interrupted mid-request, now unknown", send_id, count
            )
        return interrupted

    async def close(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Stop every send (requests in flight may finish within ``grace``), then disconnect."""
        self._closing = True
        for run in self._runs.values():
            run.stop()
        tasks = list(self._tasks.values())
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        await self._context.sender.close()

    # -- creating sends ---------------------------------------------------------------------

    async def audience(self, member_ids: Sequence[int], category: str) -> Audience:
        """How many of these members a send in ``category`` would reach, and who is left out."""
        return await self._store.audience(member_ids, category)

    async def create_send(
        self,
        draft: Draft,
        members: Sequence[int] = (),
        chats: Sequence[Recipient] = (),
    ) -> tuple[int, Audience]:
        """Write the send and its rows at once; return its id and who it will reach.

        ``members`` are user ids: members who unsubscribed, blocked the bot or opted out of
        ``draft.category`` are left out, and each gets their language (or the content's
        first); unless ``draft.urgent``, a member in their quiet hours at the due time is
        held back until they end (``Audience.deferred`` counts them). ``chats`` are
        addressed as given. Launching is the scheduler's job.
        """
        if not draft.kind or not draft.category:
            raise ValueError("a send needs a kind and a category")
        return await self._store.create_send(draft, members, chats, self._clock.now(), self._zone)

    # -- running sends ----------------------------------------------------------------------

    def launch(self, send_id: int) -> asyncio.Task[SendReport | None]:
        """Run the send in the background if it is due (once: a running send is not doubled)."""
        task = self._tasks.get(send_id)
        if task is not None and not task.done():
            self._again.add(send_id)
            return task
        task = asyncio.create_task(self._drive(send_id), name=f"send:{send_id}")
        self._tasks[send_id] = task
        task.add_done_callback(self._forget)
        return task

    async def run(self, send_id: int) -> SendReport | None:
        """Run the send if it is due and wait for the end of the pass; None if unknown."""
        return await self.launch(send_id)

    async def resend(
        self,
        send_id: int,
        states: Collection[DeliveryState] = (DeliveryState.FAILED, DeliveryState.UNKNOWN),
    ) -> int:
        """Send again to the rows in ``states`` (explicit request only); return how many."""
        if not set(states) <= RESENDABLE:
            raise ValueError(f"only {sorted(RESENDABLE)} rows can be sent again")
        count = await self._store.reopen(send_id, states, self._clock.now())
        if count:
            self.launch(send_id)
        return count

    async def cancel(self, send_id: int) -> bool:
        """Cancel a scheduled send, or stop one under way; False if it was already over."""
        return await self._store.cancel(send_id, self._clock.now())

    # -- reading ----------------------------------------------------------------------------

    async def report(self, send_id: int) -> SendReport | None:
        """Counts by state, duration and rate of the send."""
        send = await self._store.get_send(send_id)
        if send is None:
            return None
        counts = await self._store.counts(send_id)
        next_due = await self._store.next_not_before(send_id, self._clock.now())
        return SendReport.of(send, counts, next_due)

    async def sends(
        self, kinds: Collection[str], statuses: Collection[SendStatus] = (SendStatus.SCHEDULED,)
    ) -> list[Send]:
        """The sends of these kinds in these statuses (by default: waiting), soonest first."""
        return await self._store.sends(kinds, statuses)

    async def due_sends(self) -> list[tuple[int, datetime]]:
        """Sends still to run, with the instant each is due (past ones: at once)."""
        return await self._store.due_sends()

    # -- internals --------------------------------------------------------------------------

    async def _drive(self, send_id: int) -> SendReport | None:
        """Passes over the send until nothing more is asked of it, then mark it done."""
        while not self._closing:
            self._again.discard(send_id)
            send = await self._store.get_send(send_id)
            if send is None or send.status not in (SendStatus.SCHEDULED, SendStatus.SENDING):
                break
            now = self._clock.now()
            if send.due_at > now or not await self._store.begin(send_id, now):
                break
            run = SendRun(send, self._context)
            self._runs[send_id] = run
            try:
                await run.execute()
            finally:
                del self._runs[send_id]
            if not self._closing:
                await self._store.finish(send_id, self._clock.now())
            if send_id not in self._again:
                break
        return await self.report(send_id)

    def _forget(self, task: asyncio.Task[SendReport | None]) -> None:
        for send_id, known in list(self._tasks.items()):
            if known is task:
                del self._tasks[send_id]
        if not task.cancelled() and task.exception() is not None:
            logger.error("a send stopped on an error", exc_info=task.exception())
