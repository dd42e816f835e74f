"""Who a send reaches: members left out and why, recipient rows, rows held for quiet hours."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import aiosqlite

from bot.clock import to_iso
from bot.delivery.model import Audience, Draft, Recipient
from bot.delivery.quiet import QuietHours
from bot.storage.db import Database, Transaction

# Each member asked for, with the reason they are left out ('eligible' if they are not).
# Parameters: member ids (JSON array), category.
_AUDIENCE = """
WITH audience AS (
    SELECT r.value AS user_id, m.language AS language,
           CASE WHEN m.user_id IS NULL THEN 'not_member'
                WHEN m.subscribed = 0 THEN 'unsubscribed'
                WHEN m.unreachable_at IS NOT NULL THEN 'unreachable'
                WHEN p.opted_out = 1 THEN 'opted_out'
                ELSE 'eligible' END AS reason
    FROM json_each(?) AS r
    LEFT JOIN members AS m ON m.user_id = r.value
    LEFT JOIN delivery_preferences AS p ON p.user_id = r.value AND p.category = ?
)
"""

_COUNT_AUDIENCE = _AUDIENCE + "SELECT reason, COUNT(*) AS n FROM audience GROUP BY reason"

# Parameters: member ids, category, send id, languages (JSON array), default language, now.
_INSERT_MEMBER_ROWS = (
    _AUDIENCE
    + """INSERT INTO deliveries (send_id, chat_id, user_id, language, updated_at)
    SELECT ?, user_id, user_id,
           CASE WHEN language IN (SELECT value FROM json_each(?)) THEN language ELSE ? END, ?
    FROM audience WHERE reason = 'eligible'"""
)


def ids_json(values: Iterable[int]) -> str:
    """Member ids as a JSON array for ``json_each``, duplicates dropped."""
    return json.dumps(list(dict.fromkeys(values)))


def _audience(rows: Iterable[aiosqlite.Row]) -> Audience:
    counts = {row["reason"]: row["n"] for row in rows}
    eligible = counts.pop("eligible", 0)
    return Audience(eligible, counts)


async def count_audience(reader: Database | Transaction, members: str, category: str) -> Audience:
    """How many of ``members`` (``ids_json``) a send in ``category`` reaches; who is left out."""
    return _audience(await reader.fetchall(_COUNT_AUDIENCE, (members, category)))


async def insert_recipients(
    tx: Transaction,
    send_id: int,
    draft: Draft,
    members: str,
    chats: Sequence[Recipient],
    now: datetime,
    zone: ZoneInfo,
) -> Audience:
    """Write the send's rows: its eligible ``members`` (``ids_json``), then its ``chats``.

    Unless the send is urgent, a member inside their quiet hours (read in ``zone``) at
    the send's due time gets a row held back until the end of their quiet period.
    """
    at = to_iso(now)
    audience = await count_audience(tx, members, draft.category)
    await tx.execute(
        _INSERT_MEMBER_ROWS,
        (
            members,
            draft.category,
            send_id,
            json.dumps(list(draft.content.messages)),
            draft.content.default_language,
            at,
        ),
    )
    due = draft.due_at or now
    deferred = 0 if draft.urgent else await _hold_quiet_rows(tx, send_id, due, zone)
    await tx.executemany(
        "INSERT INTO deliveries (send_id, chat_id, user_id, language, not_before,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [
            (send_id, c.chat_id, c.user_id, c.language, _optional_iso(c.not_before), at)
            for c in chats
        ],
    )
    total = await tx.fetchone("SELECT COUNT(*) AS n FROM deliveries WHERE send_id = ?", (send_id,))
    assert total is not None
    return Audience(total["n"], audience.skipped, deferred)


def _optional_iso(instant: datetime | None) -> str | None:
    return to_iso(instant) if instant else None


async def _hold_quiet_rows(tx: Transaction, send_id: int, due: datetime, zone: ZoneInfo) -> int:
    """Hold back the member rows of members in their quiet hours at ``due``; return how many.

    Members share a few periods (presets): the end is computed once per distinct period.
    """
    periods = await tx.fetchall(
        "SELECT DISTINCT q.starts_minute, q.ends_minute FROM deliveries AS d"
        " JOIN delivery_quiet_hours AS q ON q.user_id = d.user_id WHERE d.send_id = ?",
        (send_id,),
    )
    held = 0
    for period in periods:
        starts, ends = period["starts_minute"], period["ends_minute"]
        until = QuietHours.from_minutes(starts, ends).until(due, zone)
        if until is not None:
            held += await tx.execute(
                "UPDATE deliveries SET not_before = ? WHERE send_id = ? AND user_id IN"
                " (SELECT user_id FROM delivery_quiet_hours"
                " WHERE starts_minute = ? AND ends_minute = ?)",
                (to_iso(until), send_id, starts, ends),
            )
    return held
