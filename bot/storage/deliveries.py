"""SQL for sends (the outbox), their per-recipient delivery rows and delivery preferences."""

from __future__ import annotations

import base64
import json
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.delivery.model import (
    Attachment,
    Audience,
    Content,
    DeliveryState,
    Draft,
    Message,
    Outcome,
    PendingDelivery,
    Recipient,
    Send,
    SendStatus,
)
from bot.delivery.quiet import QuietHours
from bot.storage.db import Database, Transaction

_SEND_COLUMNS = (
    "id, kind, category, created_by, created_at, due_at, status, started_at, finished_at,"
    " urgent, parts, keyboards, attachments"
)

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


def _optional_time(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


def _optional_iso(instant: datetime | None) -> str | None:
    return to_iso(instant) if instant else None


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _encode_content(content: Content) -> tuple[str, str, str]:
    messages = content.messages.items()
    parts = {lang: list(message.parts) for lang, message in messages}
    keyboards = {
        lang: message.keyboard for lang, message in messages if message.keyboard is not None
    }
    attachments = {
        lang: {
            "filename": message.attachment.filename,
            "data": base64.b64encode(message.attachment.data).decode("ascii"),
            "caption": message.attachment.caption,
        }
        for lang, message in messages
        if message.attachment is not None
    }
    return _json(parts), _json(keyboards), _json(attachments)


def _attachment(stored: dict[str, Any] | None) -> Attachment | None:
    if stored is None:
        return None
    return Attachment(stored["filename"], base64.b64decode(stored["data"]), stored["caption"])


def _decode_content(parts: str, keyboards: str, attachments: str) -> Content:
    boards, files = json.loads(keyboards), json.loads(attachments)
    return Content(
        {
            lang: Message(tuple(texts), boards.get(lang), _attachment(files.get(lang)))
            for lang, texts in json.loads(parts).items()
        }
    )


def _send(row: aiosqlite.Row) -> Send:
    return Send(
        id=row["id"],
        kind=row["kind"],
        category=row["category"],
        created_by=row["created_by"],
        created_at=from_iso(row["created_at"]),
        due_at=from_iso(row["due_at"]),
        status=SendStatus(row["status"]),
        started_at=_optional_time(row["started_at"]),
        finished_at=_optional_time(row["finished_at"]),
        urgent=bool(row["urgent"]),
        content=_decode_content(row["parts"], row["keyboards"], row["attachments"]),
    )


def _pending(row: aiosqlite.Row) -> PendingDelivery:
    return PendingDelivery(
        id=row["id"],
        chat_id=row["chat_id"],
        user_id=row["user_id"],
        language=row["language"],
        attempts=row["attempts"],
        message_ids=tuple(json.loads(row["message_ids"])),
    )


def _ids(values: Iterable[int]) -> str:
    return json.dumps(list(values))


def _skipped(rows: Iterable[aiosqlite.Row]) -> Audience:
    counts = {row["reason"]: row["n"] for row in rows}
    eligible = counts.pop("eligible", 0)
    return Audience(eligible, counts)


class DeliveryStore:
    """Reads and writes sends, delivery rows and opt-outs."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- creating and reading sends ---------------------------------------------------------

    async def audience(self, member_ids: Sequence[int], category: str) -> Audience:
        """How many of these members a send in ``category`` would reach, and who is left out."""
        rows = await self._db.fetchall(_COUNT_AUDIENCE, (_ids(dict.fromkeys(member_ids)), category))
        return _skipped(rows)

    async def create_send(
        self,
        draft: Draft,
        member_ids: Sequence[int],
        chats: Sequence[Recipient],
        now: datetime,
        zone: ZoneInfo,
    ) -> tuple[int, Audience]:
        """Write the send and every recipient row in one transaction (the outbox).

        Unless the send is urgent, a member inside their quiet hours (read in ``zone``) at
        the send's due time gets a row held back until the end of their quiet period.
        """
        parts, keyboards, attachments = _encode_content(draft.content)
        members = _ids(dict.fromkeys(member_ids))
        at = to_iso(now)
        due = draft.due_at or now
        async with self._db.transaction() as tx:
            send_id = await tx.insert(
                "INSERT INTO sends (kind, category, created_by, created_at, due_at, urgent,"
                " parts, keyboards, attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    draft.kind,
                    draft.category,
                    draft.created_by,
                    at,
                    to_iso(due),
                    int(draft.urgent),
                    parts,
                    keyboards,
                    attachments,
                ),
            )
            audience = _skipped(await tx.fetchall(_COUNT_AUDIENCE, (members, draft.category)))
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
            deferred = 0 if draft.urgent else await _hold_quiet_rows(tx, send_id, due, zone)
            await tx.executemany(
                "INSERT INTO deliveries (send_id, chat_id, user_id, language, not_before,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [
                    (send_id, c.chat_id, c.user_id, c.language, _optional_iso(c.not_before), at)
                    for c in chats
                ],
            )
            total = await tx.fetchone(
                "SELECT COUNT(*) AS n FROM deliveries WHERE send_id = ?", (send_id,)
            )
        assert total is not None
        return send_id, Audience(total["n"], audience.skipped, deferred)

    async def sends(self, kinds: Collection[str], statuses: Collection[SendStatus]) -> list[Send]:
        """The sends of these kinds in these statuses, soonest due first."""
        rows = await self._db.fetchall(
            f"SELECT {_SEND_COLUMNS} FROM sends WHERE kind IN (SELECT value FROM json_each(?))"
            " AND status IN (SELECT value FROM json_each(?)) ORDER BY due_at, id",
            (json.dumps(list(kinds)), json.dumps([s.value for s in statuses])),
        )
        return [_send(row) for row in rows]

    async def get_send(self, send_id: int) -> Send | None:
        """The send with this id, if any."""
        row = await self._db.fetchone(f"SELECT {_SEND_COLUMNS} FROM sends WHERE id = ?", (send_id,))
        return _send(row) if row else None

    async def due_sends(self) -> list[tuple[int, datetime]]:
        """Sends still to run and when: a scheduled one at its due time, a started one at once.

        A row whose ``not_before`` lies ahead postpones its send to that instant.
        """
        rows = await self._db.fetchall(
            "SELECT s.id, MAX(s.due_at, COALESCE(MIN(COALESCE(d.not_before, s.due_at)),"
            " s.due_at)) AS due FROM sends AS s"
            " LEFT JOIN deliveries AS d ON d.send_id = s.id AND d.state = 'pending'"
            " WHERE s.status IN ('scheduled', 'sending') GROUP BY s.id ORDER BY s.id"
        )
        return [(row["id"], from_iso(row["due"])) for row in rows]

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

    async def next_not_before(self, send_id: int, now: datetime) -> datetime | None:
        """The earliest instant a pending row of the send becomes due, if it lies ahead."""
        row = await self._db.fetchone(
            "SELECT MIN(not_before) AS at FROM deliveries"
            " WHERE send_id = ? AND state = 'pending' AND not_before > ?",
            (send_id, to_iso(now)),
        )
        return _optional_time(row["at"]) if row else None

    # -- the life of a send -----------------------------------------------------------------

    async def begin(self, send_id: int, now: datetime) -> bool:
        """Move a scheduled send to ``sending`` (keeping a first start time); False if over."""
        changed = await self._db.execute(
            "UPDATE sends SET status = 'sending', started_at = COALESCE(started_at, ?)"
            " WHERE id = ? AND status IN ('scheduled', 'sending')",
            (to_iso(now), send_id),
        )
        return changed == 1

    async def finish(self, send_id: int, now: datetime) -> bool:
        """Mark a started send ``done`` if no row is pending or sending any more."""
        changed = await self._db.execute(
            "UPDATE sends SET status = 'done', finished_at = ? WHERE id = ? AND status = 'sending'"
            " AND NOT EXISTS (SELECT 1 FROM deliveries WHERE send_id = ?"
            " AND state IN ('pending', 'sending'))",
            (to_iso(now), send_id, send_id),
        )
        return changed == 1

    async def cancel(self, send_id: int, now: datetime) -> bool:
        """Stop a send that is scheduled or under way; rows not yet claimed stay pending."""
        changed = await self._db.execute(
            "UPDATE sends SET status = 'cancelled', finished_at = ?"
            " WHERE id = ? AND status IN ('scheduled', 'sending')",
            (to_iso(now), send_id),
        )
        return changed == 1

    async def reopen(self, send_id: int, states: Iterable[DeliveryState], now: datetime) -> int:
        """Put the rows in ``states`` back to pending and the send back to sending."""
        async with self._db.transaction() as tx:
            send = await tx.fetchone("SELECT status FROM sends WHERE id = ?", (send_id,))
            if send is None or send["status"] not in ("done", "sending"):
                return 0
            changed = await tx.execute(
                "UPDATE deliveries SET state = 'pending', error = NULL, updated_at = ?"
                " WHERE send_id = ? AND state IN (SELECT value FROM json_each(?))",
                (to_iso(now), send_id, json.dumps([s.value for s in states])),
            )
            if changed:
                await tx.execute(
                    "UPDATE sends SET status = 'sending', finished_at = NULL WHERE id = ?",
                    (send_id,),
                )
            return changed

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

    # -- delivering rows --------------------------------------------------------------------

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
                    (to_iso(now), _ids(claims)),
                )
                claimed = {row["id"] for row in rows}
        return claimed

    # -- preferences and personal data ------------------------------------------------------

    async def set_opted_out(
        self, user_id: int, category: str, opted_out: bool, now: datetime
    ) -> None:
        """Record whether the member wants no more sends of ``category``."""
        await self._db.execute(
            "INSERT INTO delivery_preferences (user_id, category, opted_out, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (user_id, category) DO UPDATE SET"
            " opted_out = excluded.opted_out, updated_at = excluded.updated_at",
            (user_id, category, int(opted_out), to_iso(now)),
        )

    async def set_quiet_hours(self, user_id: int, hours: QuietHours | None, now: datetime) -> None:
        """Record the member's quiet hours (None: no quiet hours)."""
        if hours is None:
            await self._db.execute("DELETE FROM delivery_quiet_hours WHERE user_id = ?", (user_id,))
            return
        starts, ends = hours.minutes
        await self._db.execute(
            "INSERT INTO delivery_quiet_hours (user_id, starts_minute, ends_minute, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " starts_minute = excluded.starts_minute, ends_minute = excluded.ends_minute,"
            " updated_at = excluded.updated_at",
            (user_id, starts, ends, to_iso(now)),
        )

    async def quiet_hours(self, user_id: int) -> QuietHours | None:
        """The member's quiet hours, if they set some."""
        row = await self._db.fetchone(
            "SELECT starts_minute, ends_minute FROM delivery_quiet_hours WHERE user_id = ?",
            (user_id,),
        )
        return QuietHours.from_minutes(row["starts_minute"], row["ends_minute"]) if row else None

    async def opted_out_categories(self, user_id: int) -> set[str]:
        """The categories the member opted out of."""
        rows = await self._db.fetchall(
            "SELECT category FROM delivery_preferences WHERE user_id = ? AND opted_out = 1",
            (user_id,),
        )
        return {row["category"] for row in rows}

    async def personal_data(self, user_id: int) -> dict[str, Any]:
        """The member's preferences and the messages sent to them."""
        preferences = await self._db.fetchall(
            "SELECT category, opted_out, updated_at FROM delivery_preferences WHERE user_id = ?",
            (user_id,),
        )
        deliveries = await self._db.fetchall(
            "SELECT d.send_id, s.kind, s.category, d.state, d.sent_at FROM deliveries AS d"
            " JOIN sends AS s ON s.id = d.send_id WHERE d.user_id = ? ORDER BY d.id",
            (user_id,),
        )
        quiet = await self._db.fetchone(
            "SELECT starts_minute, ends_minute, updated_at FROM delivery_quiet_hours"
            " WHERE user_id = ?",
            (user_id,),
        )
        return {
            "preferences": [
                {**dict(row), "opted_out": bool(row["opted_out"])} for row in preferences
            ],
            "quiet_hours": dict(quiet) if quiet else None,
            "deliveries": [dict(row) for row in deliveries],
        }

    async def erase_personal_data(self, user_id: int) -> None:
        """Forget the member: preferences go, unsent rows go, sent rows lose who they were for."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM delivery_preferences WHERE user_id = ?", (user_id,))
            await tx.execute("DELETE FROM delivery_quiet_hours WHERE user_id = ?", (user_id,))
            await tx.execute(
                "DELETE FROM deliveries WHERE user_id = ? AND state = 'pending'", (user_id,)
            )
            await tx.execute(
                "UPDATE deliveries SET user_id = NULL, chat_id = NULL, message_ids = '[]',"
                " error = NULL WHERE user_id = ?",
                (user_id,),
            )


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
