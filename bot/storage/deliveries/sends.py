"""Sends in the outbox: writing one with its recipients, reading them, their life cycle."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.delivery.model import Audience, DeliveryState, Draft, Recipient, Send, SendStatus
from bot.storage.db import Database
from bot.storage.deliveries.content import decode_content, encode_content
from bot.storage.deliveries.recipients import count_audience, ids_json, insert_recipients

_SEND_COLUMNS = (
    "id, kind, category, created_by, created_at, due_at, status, started_at, finished_at,"
    " urgent, parts, keyboards, attachments"
)


def _optional_time(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


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
        content=decode_content(row["parts"], row["keyboards"], row["attachments"]),
    )


class SendQueries:
    """Creating, reading, starting, finishing, cancelling and reopening sends."""

    _db: Database

    async def audience(self, member_ids: Sequence[int], category: str) -> Audience:
        """How many of these members a send in ``category`` would reach, and who is left out."""
        return await count_audience(self._db, ids_json(member_ids), category)

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
        the send's due time gets a row held back until the end of their quiet period. A
        draft whose ``key`` was used before gives back that send and its row count.
        """
        parts, keyboards, attachments = encode_content(draft.content)
        async with self._db.transaction() as tx:
            if draft.key is not None:
                made = await tx.fetchone(
                    "SELECT id, (SELECT COUNT(*) FROM deliveries d WHERE d.send_id = sends.id)"
                    " AS rows FROM sends WHERE send_key = ?",
                    (draft.key,),
                )
                if made is not None:  # created before (a reply typed again): that send
                    return made["id"], Audience(made["rows"])
            send_id = await tx.insert(
                "INSERT INTO sends (kind, category, created_by, created_at, due_at, urgent,"
                " parts, keyboards, attachments, send_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    draft.kind,
                    draft.category,
                    draft.created_by,
                    to_iso(now),
                    to_iso(draft.due_at or now),
                    int(draft.urgent),
                    parts,
                    keyboards,
                    attachments,
                    draft.key,
                ),
            )
            members = ids_json(member_ids)
            audience = await insert_recipients(tx, send_id, draft, members, chats, now, zone)
        return send_id, audience

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
