"""The links' SQL: linked accounts, pending codes (hashed) and wrong tries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.links.model import Link, PendingCode
from bot.storage.db import Database
from bot.transports import Transport

_LINK = "SELECT member_id, account_id, linked_at, messages_to FROM member_links"


def _link(row: aiosqlite.Row) -> Link:
    return Link(
        row["member_id"],
        row["account_id"],
        from_iso(row["linked_at"]),
        Transport(row["messages_to"]),
    )


class LinkStore:
    """Reads and writes ``member_links``, ``link_codes`` and ``link_wrong_tries``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def links(self) -> list[Link]:
        """Every link."""
        return [_link(row) for row in await self._db.fetchall(f"{_LINK} ORDER BY account_id")]

    async def link_of_member(self, member_id: int) -> Link | None:
        """The member's linked account, if any."""
        row = await self._db.fetchone(f"{_LINK} WHERE member_id = ?", (member_id,))
        return _link(row) if row else None

    async def link_of_account(self, account_id: int) -> Link | None:
        """The link of this account, if it is linked."""
        row = await self._db.fetchone(f"{_LINK} WHERE account_id = ?", (account_id,))
        return _link(row) if row else None

    async def put_code(
        self, member_id: int, code_hash: str, created_at: datetime, expires_at: datetime
    ) -> None:
        """Keep a new code's hash for the member; their previous code stops working."""
        await self._db.execute(
            "INSERT INTO link_codes (member_id, code_hash, created_at, expires_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (member_id) DO UPDATE SET"
            " code_hash = excluded.code_hash, created_at = excluded.created_at,"
            " expires_at = excluded.expires_at",
            (member_id, code_hash, to_iso(created_at), to_iso(expires_at)),
        )

    async def code_by_hash(self, code_hash: str, now: datetime) -> PendingCode | None:
        """The live code with this hash."""
        row = await self._db.fetchone(
            "SELECT member_id, expires_at FROM link_codes WHERE code_hash = ? AND expires_at > ?",
            (code_hash, to_iso(now)),
        )
        return PendingCode(row["member_id"], from_iso(row["expires_at"])) if row else None

    async def purge(self, codes_before: datetime, tries_before: datetime) -> None:
        """Drop the expired codes and the wrong tries that no longer count."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM link_codes WHERE expires_at <= ?", (to_iso(codes_before),)
            )
            await tx.execute("DELETE FROM link_wrong_tries WHERE at <= ?", (to_iso(tries_before),))

    async def record_wrong_try(self, account_id: int, at: datetime) -> None:
        """Count one wrong or expired code typed by this account."""
        await self._db.execute(
            "INSERT INTO link_wrong_tries (account_id, at) VALUES (?, ?)", (account_id, to_iso(at))
        )

    async def wrong_tries_since(self, account_id: int, since: datetime) -> list[datetime]:
        """The account's wrong tries after ``since``, oldest first."""
        rows = await self._db.fetchall(
            "SELECT at FROM link_wrong_tries WHERE account_id = ? AND at > ? ORDER BY at, id",
            (account_id, to_iso(since)),
        )
        return [from_iso(row["at"]) for row in rows]

    async def add_link(self, link: Link) -> bool:
        """Record the link and use up the member's code; False if either side is taken."""
        async with self._db.transaction() as tx:
            added = await tx.execute(
                "INSERT OR IGNORE INTO member_links (account_id, member_id, transport,"
                " messages_to, linked_at) VALUES (?, ?, ?, ?, ?)",
                (
                    link.account_id,
                    link.member_id,
                    link.transport.value,
                    link.messages_to.value,
                    to_iso(link.linked_at),
                ),
            )
            if added:
                await tx.execute("DELETE FROM link_codes WHERE member_id = ?", (link.member_id,))
        return bool(added)

    async def set_messages_to(self, member_id: int, transport: Transport) -> None:
        """Send the member's messages to ``transport``."""
        await self._db.execute(
            "UPDATE member_links SET messages_to = ? WHERE member_id = ?",
            (transport.value, member_id),
        )

    async def remove_link(self, member_id: int) -> None:
        """Unlink the member's linked account."""
        await self._db.execute("DELETE FROM member_links WHERE member_id = ?", (member_id,))

    async def personal_data(self, user_id: int) -> dict[str, Any]:
        """The person's links (as a member or as the linked account), code and wrong tries."""
        links = await self._db.fetchall(
            "SELECT member_id, account_id, transport, messages_to, linked_at FROM member_links"
            " WHERE member_id = ? OR account_id = ?",
            (user_id, user_id),
        )
        code = await self._db.fetchone(
            "SELECT created_at, expires_at FROM link_codes WHERE member_id = ?", (user_id,)
        )
        tries = await self._db.fetchall(
            "SELECT at FROM link_wrong_tries WHERE account_id = ? ORDER BY at", (user_id,)
        )
        return {
            "links": [dict(row) for row in links],
            "pending_code": dict(code) if code else None,
            "wrong_codes": [row["at"] for row in tries],
        }

    async def erase(self, user_id: int) -> list[int]:
        """Forget the person's links, code and wrong tries (and their linked account's).

        Returns the accounts that were linked to the person.
        """
        rows = await self._db.fetchall(
            "SELECT account_id FROM member_links WHERE member_id = ? OR account_id = ?",
            (user_id, user_id),
        )
        accounts = [row["account_id"] for row in rows]
        async with self._db.transaction() as tx:
            for account in {user_id, *accounts}:
                await tx.execute("DELETE FROM link_wrong_tries WHERE account_id = ?", (account,))
            await tx.execute(
                "DELETE FROM member_links WHERE member_id = ? OR account_id = ?", (user_id, user_id)
            )
            await tx.execute("DELETE FROM link_codes WHERE member_id = ?", (user_id,))
        return accounts
