"""One pass over a send's pending rows: a feeder, N workers sharing the pacers, a journal."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol

from bot.clock import Clock
from bot.delivery.journal import Journal
from bot.delivery.model import DeliveryState, Message, Outcome, PendingDelivery, Send
from bot.delivery.sender import (
    Blocked,
    Failed,
    MaybeSent,
    NotSentRetryable,
    RetryLater,
    Sender,
)
from bot.delivery.transport_pacing import TransportPacers
from bot.storage.deliveries import DeliveryStore
from bot.transports import Transport

logger = logging.getLogger(__name__)

PAGE_SIZE = 256


class Reachability(Protocol):
    """Where the engine reports that a member blocked the bot."""

    async def set_reachable(self, user_id: int, reachable: bool) -> None:
        """Record whether the member can be reached."""
        ...


@dataclass(frozen=True)
class RetryPolicy:
    """How often one message is tried, and how long to wait after a network failure."""

    attempts: int = 6
    backoff: float = 0.5
    max_backoff: float = 30.0

    def delay(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th consecutive network failure."""
        return min(self.max_backoff, self.backoff * 2 ** (failures - 1))


@dataclass(frozen=True)
class RunContext:
    """What every pass needs, shared by all the sends of one engine."""

    store: DeliveryStore
    sender: Sender
    pacers: TransportPacers
    reachability: Reachability
    clock: Clock
    concurrency: int
    retry: RetryPolicy


class SendRun:
    """Delivers the pending rows of one send once; rows are claimed just before their request."""

    def __init__(self, send: Send, context: RunContext) -> None:
        self._send = send
        self._ctx = context
        self._stopping = False

    def stop(self) -> None:
        """Take no new row; rows already claimed finish their attempt."""
        self._stopping = True

    async def execute(self) -> None:
        """Deliver every pending row that is due, then return once all outcomes are committed.

        Each messenger is a lane of its own (feeder, queue, workers), so rows waiting for a
        slow messenger's pacer never hold the workers of the other.
        """
        journal = Journal(self._ctx.store, self._ctx.clock)
        try:
            async with asyncio.TaskGroup() as lanes:
                for lane in self._ctx.pacers.lanes():
                    lanes.create_task(self._lane(lane, journal))
        finally:
            await journal.close()

    async def _lane(self, lane: Transport, journal: Journal) -> None:
        queue: asyncio.Queue[PendingDelivery | None] = asyncio.Queue(self._ctx.concurrency * 2)
        workers = [
            asyncio.create_task(self._work(queue, journal)) for _ in range(self._ctx.concurrency)
        ]
        try:
            await self._feed(queue, lane)
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    async def _feed(self, queue: asyncio.Queue[PendingDelivery | None], lane: Transport) -> None:
        after = 0
        pacers = self._ctx.pacers
        while not self._stopping:
            page = await self._ctx.store.pending_page(
                self._send.id, after, PAGE_SIZE, self._ctx.clock.now()
            )
            if not page:
                return
            for row in page:
                if pacers.lane_of(row.chat_id) is lane:
                    await queue.put(row)
            after = page[-1].id

    async def _work(self, queue: asyncio.Queue[PendingDelivery | None], journal: Journal) -> None:
        while (row := await queue.get()) is not None:
            if self._stopping:
                continue
            outcome = await self._deliver(row, journal)
            if outcome is not None:
                journal.record(outcome)

    async def _deliver(self, row: PendingDelivery, journal: Journal) -> Outcome | None:
        """Send every part not yet out; None if the row could not be claimed.

        If the worker is cancelled (shutdown) between requests, the row goes back to
        pending with the parts already out, since nothing is in flight.
        """
        progress = _Progress(row, self._ctx.clock)
        try:
            return await self._send_parts(row, progress, journal)
        except asyncio.CancelledError:
            if progress.claimed and not progress.in_request:
                journal.record(progress.outcome(DeliveryState.PENDING))
            raise

    async def _send_parts(
        self, row: PendingDelivery, progress: _Progress, journal: Journal
    ) -> Outcome | None:
        ctx = self._ctx
        pacer = ctx.pacers.for_chat(row.chat_id)
        message = self._send.content.for_language(row.language)
        sent = progress.sent
        count = message.part_count
        tries = failures = 0
        while len(sent) < count:
            grant = await pacer.acquire(row.chat_id)
            if not progress.claimed:
                if self._stopping or not await journal.claim(row.id):
                    pacer.withdraw(row.chat_id, grant)
                    return None
                progress.claimed = True
                while not pacer.fresh(grant):  # the commit was slow, or a 429 came
                    pacer.withdraw(row.chat_id, grant)
                    grant = await pacer.acquire(row.chat_id)
            progress.attempts += 1
            tries += 1
            delay = 0.0
            progress.in_request = True
            try:
                sent.append(await _request(ctx.sender, row.chat_id, message, len(sent)))
                tries = failures = 0
                continue
            except RetryLater as error:
                pacer.pause(error.seconds)
                reason = f"429: {error}"
            except NotSentRetryable as error:
                failures += 1
                delay = ctx.retry.delay(failures)
                reason = f"network: {error}"
            except Blocked as error:
                if row.user_id is not None:
                    await ctx.reachability.set_reachable(row.user_id, False)
                return progress.outcome(DeliveryState.BLOCKED, f"403: {error}")
            except MaybeSent as error:
                return progress.outcome(DeliveryState.UNKNOWN, f"maybe sent: {error}")
            except Failed as error:
                return progress.outcome(DeliveryState.FAILED, str(error))
            except Exception as error:
                logger.exception("sender failed on delivery %s", row.id)
                return progress.outcome(DeliveryState.UNKNOWN, f"unexpected: {error!r}")
            finally:
                progress.in_request = False
            if tries >= ctx.retry.attempts:
                return progress.outcome(
                    DeliveryState.FAILED, f"gave up after {tries} tries: {reason}"
                )
            await asyncio.sleep(delay)
        return progress.outcome(DeliveryState.SENT)


def _request(sender: Sender, chat_id: int, message: Message, index: int) -> Awaitable[int]:
    """The request for part ``index``: a text part (keyboard on the last), then the attachment."""
    parts = message.parts
    if index < len(parts):
        return sender.send(
            chat_id, parts[index], message.keyboard if index == len(parts) - 1 else None
        )
    attachment = message.attachment
    assert attachment is not None
    return sender.send_document(chat_id, attachment.filename, attachment.data, attachment.caption)


class _Progress:
    """What is known about one row while it is being delivered."""

    def __init__(self, row: PendingDelivery, clock: Clock) -> None:
        self.row = row
        self.clock = clock
        self.sent = list(row.message_ids)
        self.attempts = row.attempts
        self.claimed = False
        self.in_request = False

    def outcome(self, state: DeliveryState, error: str | None = None) -> Outcome:
        """The row's outcome as it stands."""
        return Outcome(self.row.id, state, self.attempts, tuple(self.sent), self.clock.now(), error)
