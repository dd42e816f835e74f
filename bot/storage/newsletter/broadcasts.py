"""SQL for newsletter and reminder drafts, the sends they became, and the newcomers they tell."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.newsletter.model import BroadcastDraft, BroadcastKind, BroadcastSend, NewMemberFact
from bot.domain.segments import Segment
from bot.storage.db import Database

_SEND_COLUMNS = "send_id, kind, author_id, segment, created_at, reported_at"


def _draft(row: aiosqlite.Row) -> BroadcastDraft:
    return BroadcastDraft(
        user_id=row["user_id"],
        kind=BroadcastKind(row["kind"]),
        body=row["body"],
        segment=Segment.decode(row["segment"]),
        urgent=bool(row["urgent"]),
    )


def _send(row: aiosqlite.Row) -> BroadcastSend:
    return BroadcastSend(
        send_id=row["send_id"],
        kind=BroadcastKind(row["kind"]),
        author_id=row["author_id"],
        segment=Segment.decode(row["segment"]),
        created_at=from_iso(row["created_at"]),
        reported_at=from_iso(row["reported_at"]) if row["reported_at"] else None,
    )


class NewsletterStore:
    """Reads and writes drafts and broadcast sends."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- drafts -----------------------------------------------------------------------------

    async def draft(self, user_id: int, kind: BroadcastKind) -> BroadcastDraft | None:
        """The animator's draft of this kind, if any."""
        row = await self._db.fetchone(
            "SELECT user_id, kind, body, segment, urgent FROM newsletter_drafts"
            " WHERE user_id = ? AND kind = ?",
            (user_id, kind.value),
        )
        return _draft(row) if row else None

    async def save_draft(self, draft: BroadcastDraft, now: datetime) -> None:
        """Write the draft as it stands."""
        await self._db.execute(
            "INSERT INTO newsletter_drafts (user_id, kind, body, segment, urgent, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, kind) DO UPDATE SET"
            " body = excluded.body, segment = excluded.segment, urgent = excluded.urgent,"
            " updated_at = excluded.updated_at",
            (
                draft.user_id,
                draft.kind.value,
                draft.body,
                draft.segment.encode(),
                int(draft.urgent),
                to_iso(now),
            ),
        )

    async def delete_draft(self, user_id: int, kind: BroadcastKind) -> None:
        """Forget the draft."""
        await self._db.execute(
            "DELETE FROM newsletter_drafts WHERE user_id = ? AND kind = ?", (user_id, kind.value)
        )

    # -- sends ------------------------------------------------------------------------------

    async def record_send(
        self, send_id: int, kind: BroadcastKind, author_id: int, segment: Segment, now: datetime
    ) -> None:
        """Remember that this delivery-engine send is a newsletter or reminder."""
        await self._db.execute(
            "INSERT INTO newsletter_sends (send_id, kind, author_id, segment, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (send_id, kind.value, author_id, segment.encode(), to_iso(now)),
        )

    async def send(self, send_id: int) -> BroadcastSend | None:
        """The broadcast behind a send, if it is one."""
        row = await self._db.fetchone(
            f"SELECT {_SEND_COLUMNS} FROM newsletter_sends WHERE send_id = ?", (send_id,)
        )
        return _send(row) if row else None

    async def unreported(self) -> list[int]:
        """Sends still owing their author a report (cancelled ones never do)."""
        rows = await self._db.fetchall(
            "SELECT n.send_id FROM newsletter_sends AS n JOIN sends AS s ON s.id = n.send_id"
            " WHERE n.reported_at IS NULL AND s.status != 'cancelled' ORDER BY n.send_id"
        )
        return [row["send_id"] for row in rows]

    async def claim_report(self, send_id: int, now: datetime) -> bool:
        """Mark the report as sent; False if it already was (so it goes out once)."""
        changed = await self._db.execute(
            "UPDATE newsletter_sends SET reported_at = ? WHERE send_id = ? AND reported_at IS NULL",
            (to_iso(now), send_id),
        )
        return changed == 1

    async def reopen_report(self, send_id: int) -> None:
        """A resend is under way: its report is owed again."""
        await self._db.execute(
            "UPDATE newsletter_sends SET reported_at = NULL WHERE send_id = ?", (send_id,)
        )

    async def last_letter_at(self) -> datetime | None:
        """When the latest newsletter that went out (or is going out) was created."""
        row = await self._db.fetchone(
            "SELECT MAX(n.created_at) AS at FROM newsletter_sends AS n"
            " JOIN sends AS s ON s.id = n.send_id"
            " WHERE n.kind = 'newsletter' AND s.status IN ('sending', 'done')"
        )
        return from_iso(row["at"]) if row and row["at"] else None

    # -- what a newsletter tells ------------------------------------------------------------

    async def registered_since(
        self, since: datetime, limit: int
    ) -> tuple[list[NewMemberFact], int]:
        """Members registered after ``since`` (the first ``limit``) and how many in all."""
        rows = await self._db.fetchall(
            "SELECT display_name, organisation, territory FROM members"
            " WHERE registered_at > ? AND display_name IS NOT NULL"
            " ORDER BY registered_at, user_id LIMIT ?",
            (to_iso(since), limit),
        )
        total = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM members WHERE registered_at > ?"
            " AND display_name IS NOT NULL",
            (to_iso(since),),
        )
        facts = [
            NewMemberFact(row["display_name"], row["organisation"], row["territory"])
            for row in rows
        ]
        return facts, int(total["n"]) if total else 0

    # -- personal data ----------------------------------------------------------------------

    async def personal_data(self, user_id: int) -> dict[str, Any]:
        """The animator's drafts and the broadcasts they sent."""
        drafts = await self._db.fetchall(
            "SELECT kind, body, segment, urgent, updated_at FROM newsletter_drafts"
            " WHERE user_id = ? ORDER BY kind",
            (user_id,),
        )
        sends = await self._db.fetchall(
            "SELECT send_id, kind, segment, created_at FROM newsletter_sends"
            " WHERE author_id = ? ORDER BY send_id",
            (user_id,),
        )
        return {"drafts": [dict(row) for row in drafts], "sent": [dict(row) for row in sends]}

    async def erase(self, user_id: int) -> None:
        """Drop the drafts; sent broadcasts stay, no longer tied to their author."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM newsletter_drafts WHERE user_id = ?", (user_id,))
            await tx.execute(
                "UPDATE newsletter_sends SET author_id = NULL WHERE author_id = ?", (user_id,)
            )
