"""The personal data co-development groups hold about a person: its export and erasure."""

from __future__ import annotations

from typing import Any

from bot.storage.db import Database


class GroupPersonalData:
    """Places, ways in and code attempts of a person, and what they typed as a facilitator."""

    _db: Database

    async def personal_data(self, user_id: int) -> dict[str, Any]:
        """Places, ways in and code attempts of this person."""
        seats = await self._db.fetchall(
            "SELECT g.name, s.status, s.since, s.charter_accepted_at FROM codev_seats s"
            " JOIN codev_groups g ON g.id = s.group_id WHERE s.user_id = ?",
            (user_id,),
        )
        entries = await self._db.fetchall(
            "SELECT g.name, e.requested_at, e.approved_at FROM codev_entries e"
            " JOIN codev_groups g ON g.id = e.group_id WHERE e.user_id = ?",
            (user_id,),
        )
        facilitated = await self._db.fetchall(
            "SELECT name FROM codev_groups WHERE facilitator_id = ?", (user_id,)
        )
        attempts = await self._db.fetchall(
            "SELECT at FROM codev_code_attempts WHERE user_id = ?", (user_id,)
        )
        return {
            "seats": [dict(r) for r in seats],
            "entries": [dict(r) for r in entries],
            "facilitated_groups": [r["name"] for r in facilitated],
            "wrong_codes": [r["at"] for r in attempts],
        }

    async def erase_person(self, user_id: int) -> None:
        """Remove this person's places, ways in and attempts; unlink them from groups.

        What they typed as a facilitator goes too: the charter and usual meeting place of
        the groups they created or facilitate (shown as the default charter and "to be
        given"), the links of those groups' sessions; their invitations lose their author.
        """
        async with self._db.transaction() as tx:
            for table in ("codev_seats", "codev_entries", "codev_code_attempts"):
                await tx.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
            await tx.execute(
                "UPDATE codev_sessions SET link = NULL WHERE group_id IN"
                " (SELECT id FROM codev_groups WHERE facilitator_id = ?)",
                (user_id,),
            )
            await tx.execute(
                "UPDATE codev_groups SET charter = '', meeting_detail = ''"
                " WHERE facilitator_id = ? OR created_by = ?",
                (user_id, user_id),
            )
            await tx.execute(
                "UPDATE codev_invites SET created_by = NULL WHERE created_by = ?", (user_id,)
            )
            await tx.execute(
                "UPDATE codev_groups SET facilitator_id = NULL WHERE facilitator_id = ?",
                (user_id,),
            )
            await tx.execute(
                "UPDATE codev_groups SET created_by = NULL WHERE created_by = ?", (user_id,)
            )
