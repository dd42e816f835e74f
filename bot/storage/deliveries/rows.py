"""Delivery rows: pending pages, claims and outcomes in one commit, counts, interrupted rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import to_iso
from bot.delivery.model import DeliveryState, Outcome, PendingDelivery
from bot.storage.db import Database


def _pending(row: aiosqlite.Row) -> PendingDelivery:
    return PendingDelivery(
        id=row["id"],
        chat_id=row["chat_id"],
        user_id=row["user_id"],
        language=row["language"],
        attempts=row["attempts"],
        message_ids=tuple(json.loads(row["message_ids"])),
    )


class DeliveryRowQueries:
    """Reads and writes the per-recipient rows of sends."""

    _db: Database

    async def pending_page(
        self, send_id: int, after_id: int, limit: int, now: datetime
    ) -> list[PendingDelivery]:
        """The next pending rows that are due, by id, without claiming them."""
        rows = await self._db.fetchall(
            "SELECT id, chat_id, user_id, language, attempts, message_ids FROM deliveries"
            " WHERE send_id = ? AND state = 'pending' AND id > ?"
            " AND (not_before IS NULL OR not_before <= ?) ORDER BY id LIMIT ?",
            (send_id, after_id, to_iso(now), limit),
        )
        return [_pending(row) for row in rows]

    async def commit(
        self, outcomes: Sequence[Outcome], claims: Sequence[int], now: datetime
    ) -> set[int]:
        """In one transaction, record ``outcomes`` and claim rows; return the ids claimed.

        A row is claimed (pending → sending) only if it is still pending and its send is
        still under way, so a cancelled send or a row taken elsewhere is never sent.
        """
        claimed: set[int] = set()
        async with self._db.transaction() as tx:
            if outcomes:
                await tx.executemany(
                    "UPDATE deliveries SET state = ?, attempts = ?, message_ids = ?, error = ?,"
                    " updated_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
                    " WHERE id = ?",
                    [_outcome_params(outcome) for outcome in outcomes],
                )
            if claims:
                rows = await tx.fetchall(
                    "UPDATE deliveries SET state = 'sending', updated_at = ?"
                    " WHERE id IN (SELECT value FROM json_each(?)) AND state = 'pending'"
                    " AND send_id IN (SELECT id FROM sends WHERE status = 'sending')"
                    " RETURNING id",
                    (to_iso(now), json.dumps(list(claims))),
                )
                claimed = {row["id"] for row in rows}
        return claimed

    async def counts(self, send_id: int) -> dict[DeliveryState, int]:
        """How many rows of the send are in each state (every state present).

        Rows purged by retention are counted from the totals the send kept of them.
        """
        rows = await self._db.fetchall(
            "SELECT state, SUM(n) AS n FROM ("
            " SELECT state, COUNT(*) AS n FROM deliveries WHERE send_id = ? GROUP BY state"
            " UNION ALL SELECT t.key AS state, t.value AS n"
            " FROM sends AS s, json_each(s.delivery_totals) AS t WHERE s.id = ?"
            ") GROUP BY state",
            (send_id, send_id),
        )
        found = {row["state"]: row["n"] for row in rows}
        return {state: found.get(state.value, 0) for state in DeliveryState}

    async def mark_interrupted(self, now: datetime) -> dict[int, int]:
        """Turn every row left ``sending`` into ``unknown``; return their number per send."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT send_id, COUNT(*) AS n FROM deliveries WHERE state = 'sending'"
                " GROUP BY send_id"
            )
            await tx.execute(
                "UPDATE deliveries SET state = 'unknown', updated_at = ?,"
                " error = 'interrupted: the bot stopped while sending' WHERE state = 'sending'",
                (to_iso(now),),
            )
        return {row["send_id"]: row["n"] for row in rows}


def _outcome_params(outcome: Outcome) -> tuple[Any, ...]:
    at = to_iso(outcome.at)
    return (
        outcome.state.value,
        outcome.attempts,
        json.dumps(list(outcome.message_ids)),
        outcome.error,
        at,
        outcome.state.value,
        at,
        outcome.delivery_id,
    )
