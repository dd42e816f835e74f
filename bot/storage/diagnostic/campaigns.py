"""SQL for diagnostic campaigns, their audience, their reminders and animators' drafts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.domain.diagnostic.model import (
    Campaign,
    CampaignDraft,
    CampaignStatus,
    Participation,
    ReminderPlan,
    questionnaire_snapshot,
)
from bot.domain.segments import Segment
from bot.storage.db import Database

_COLUMNS = (
    "id, definition, segment, anonymous, opens_at, closes_at, reminder_plan, previous_id, wave,"
    " threshold, status, invitation_send, created_by, created_at, closed_at, published_at"
)
_DRAFT_COLUMNS = (
    "user_id, questionnaire_id, previous_id, segment, anonymous, opens_at, closes_at, reminder_plan"
)
# Invited members whose response is missing or not completed. Parameter: campaign id.
_NOT_FINISHED = (
    "SELECT a.user_id FROM diagnostic_audience AS a"
    " LEFT JOIN diagnostic_responses AS r"
    " ON r.campaign_id = a.campaign_id AND r.user_id = a.user_id"
    " WHERE a.campaign_id = ? AND a.user_id IS NOT NULL AND r.completed_at IS NULL"
)


def _time(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


def _iso(instant: datetime | None) -> str | None:
    return to_iso(instant) if instant else None


def _campaign(row: aiosqlite.Row) -> Campaign:
    return Campaign(
        id=row["id"],
        questionnaire=questionnaire_snapshot(row["definition"]),
        segment=Segment.decode(row["segment"]) if row["segment"] is not None else None,
        anonymous=bool(row["anonymous"]),
        opens_at=from_iso(row["opens_at"]),
        closes_at=from_iso(row["closes_at"]),
        reminder_plan=ReminderPlan(row["reminder_plan"]),
        previous_id=row["previous_id"],
        wave=row["wave"],
        threshold=row["threshold"],
        status=CampaignStatus(row["status"]),
        invitation_send=row["invitation_send"],
        created_by=row["created_by"],
        created_at=from_iso(row["created_at"]),
        closed_at=_time(row["closed_at"]),
        published_at=_time(row["published_at"]),
    )


def _draft(row: aiosqlite.Row) -> CampaignDraft:
    return CampaignDraft(
        user_id=row["user_id"],
        questionnaire_id=row["questionnaire_id"],
        previous_id=row["previous_id"],
        segment=Segment.decode(row["segment"]) if row["segment"] is not None else None,
        anonymous=None if row["anonymous"] is None else bool(row["anonymous"]),
        opens_at=_time(row["opens_at"]),
        closes_at=_time(row["closes_at"]),
        reminder_plan=ReminderPlan(row["reminder_plan"]) if row["reminder_plan"] else None,
    )


@dataclass(frozen=True)
class NewCampaign:
    """Everything written when a campaign is created."""

    questionnaire_id: str
    definition: str
    segment: Segment | None
    members: Sequence[int]
    anonymous: bool
    opens_at: datetime
    closes_at: datetime
    reminder_plan: ReminderPlan
    reminders: Sequence[datetime]
    previous_id: int | None
    wave: int
    threshold: int
    created_by: int | None


class CampaignStore:
    """Reads and writes campaigns, audiences, reminders and drafts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- campaigns ----------------------------------------------------------------------------

    async def create(self, new: NewCampaign, now: datetime) -> int:
        """Insert the campaign, its explicit audience and its reminders; return its id."""
        async with self._db.transaction() as tx:
            campaign_id = await tx.insert(
                "INSERT INTO diagnostic_campaigns (questionnaire_id, definition, segment,"
                " anonymous, opens_at, closes_at, reminder_plan, previous_id, wave, threshold,"
                " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new.questionnaire_id,
                    new.definition,
                    new.segment.encode() if new.segment is not None else None,
                    int(new.anonymous),
                    to_iso(new.opens_at),
                    to_iso(new.closes_at),
                    new.reminder_plan.value,
                    new.previous_id,
                    new.wave,
                    new.threshold,
                    new.created_by,
                    to_iso(now),
                ),
            )
            await tx.executemany(
                "INSERT OR IGNORE INTO diagnostic_audience (campaign_id, user_id) VALUES (?, ?)",
                [(campaign_id, user_id) for user_id in new.members],
            )
            await tx.executemany(
                "INSERT INTO diagnostic_reminders (campaign_id, due_at) VALUES (?, ?)",
                [(campaign_id, to_iso(at)) for at in new.reminders],
            )
        return campaign_id

    async def get(self, campaign_id: int) -> Campaign | None:
        """The campaign with this id, if any."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM diagnostic_campaigns WHERE id = ?", (campaign_id,)
        )
        return _campaign(row) if row else None

    async def recent(self, limit: int) -> list[Campaign]:
        """The latest campaigns, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM diagnostic_campaigns ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_campaign(row) for row in rows]

    async def of_questionnaire(self, questionnaire_id: str, limit: int) -> list[Campaign]:
        """The latest campaigns of one questionnaire, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM diagnostic_campaigns WHERE questionnaire_id = ?"
            " ORDER BY id DESC LIMIT ?",
            (questionnaire_id, limit),
        )
        return [_campaign(row) for row in rows]

    async def open(self, campaign_id: int, members: Sequence[int], now: datetime) -> bool:
        """Open a scheduled campaign whose time has come, adding ``members`` to its audience."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE diagnostic_campaigns SET status = 'open' WHERE id = ?"
                " AND status = 'scheduled' AND opens_at <= ? AND closes_at > ?",
                (campaign_id, to_iso(now), to_iso(now)),
            )
            if changed:
                await tx.executemany(
                    "INSERT OR IGNORE INTO diagnostic_audience (campaign_id, user_id)"
                    " VALUES (?, ?)",
                    [(campaign_id, user_id) for user_id in members],
                )
        return changed == 1

    async def set_invitation(self, campaign_id: int, send_id: int) -> bool:
        """Record the invitation send (first time only)."""
        changed = await self._db.execute(
            "UPDATE diagnostic_campaigns SET invitation_send = ?"
            " WHERE id = ? AND invitation_send IS NULL",
            (send_id, campaign_id),
        )
        return changed == 1

    async def close(self, campaign_id: int, now: datetime) -> bool:
        """Close a campaign whose closing time has come (once)."""
        changed = await self._db.execute(
            "UPDATE diagnostic_campaigns SET status = 'closed', closed_at = ?"
            " WHERE id = ? AND status IN ('scheduled', 'open') AND closes_at <= ?",
            (to_iso(now), campaign_id, to_iso(now)),
        )
        return changed == 1

    async def publish(self, campaign_id: int, now: datetime) -> bool:
        """Mark a closed campaign's results as published (once)."""
        changed = await self._db.execute(
            "UPDATE diagnostic_campaigns SET published_at = ?"
            " WHERE id = ? AND status = 'closed' AND published_at IS NULL",
            (to_iso(now), campaign_id),
        )
        return changed == 1

    async def due_openings(self) -> list[tuple[int, datetime]]:
        """Scheduled campaigns, and open ones whose invitation was never written."""
        rows = await self._db.fetchall(
            "SELECT id, opens_at FROM diagnostic_campaigns WHERE status = 'scheduled'"
            " OR (status = 'open' AND invitation_send IS NULL) ORDER BY id"
        )
        return [(row["id"], from_iso(row["opens_at"])) for row in rows]

    async def due_closings(self) -> list[tuple[int, datetime]]:
        """Campaigns not closed yet, with their closing time."""
        rows = await self._db.fetchall(
            "SELECT id, closes_at FROM diagnostic_campaigns"
            " WHERE status IN ('scheduled', 'open') ORDER BY id"
        )
        return [(row["id"], from_iso(row["closes_at"])) for row in rows]

    # -- audience and participation -----------------------------------------------------------

    async def is_invited(self, campaign_id: int, user_id: int) -> bool:
        """True if the member belongs to the campaign's audience."""
        row = await self._db.fetchone(
            "SELECT 1 FROM diagnostic_audience WHERE campaign_id = ? AND user_id = ?",
            (campaign_id, user_id),
        )
        return row is not None

    async def audience(self, campaign_id: int) -> list[int]:
        """The invited members still known."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM diagnostic_audience WHERE campaign_id = ?"
            " AND user_id IS NOT NULL ORDER BY user_id",
            (campaign_id,),
        )
        return [row["user_id"] for row in rows]

    async def not_finished(self, campaign_id: int) -> list[int]:
        """Invited members who have not finished (erased members are not listed)."""
        rows = await self._db.fetchall(_NOT_FINISHED + " ORDER BY a.user_id", (campaign_id,))
        return [row["user_id"] for row in rows]

    async def not_finished_names(self, campaign_id: int) -> list[str]:
        """Display names of the invited members who have not finished, by name."""
        rows = await self._db.fetchall(
            "SELECT COALESCE(m.display_name, CAST(m.user_id AS TEXT)) AS name"
            f" FROM members AS m WHERE m.user_id IN ({_NOT_FINISHED}) ORDER BY name",
            (campaign_id,),
        )
        return [row["name"] for row in rows]

    async def participation(self, campaign_id: int) -> Participation:
        """Invited, completed and in-progress counts (erased members still count)."""
        row = await self._db.fetchone(
            "SELECT (SELECT COUNT(*) FROM diagnostic_audience WHERE campaign_id = ?) AS invited,"
            " (SELECT COUNT(*) FROM diagnostic_responses WHERE campaign_id = ?"
            "  AND completed_at IS NOT NULL) AS completed,"
            " (SELECT COUNT(*) FROM diagnostic_responses WHERE campaign_id = ?"
            "  AND completed_at IS NULL) AS in_progress",
            (campaign_id, campaign_id, campaign_id),
        )
        assert row is not None
        return Participation(row["invited"], row["completed"], row["in_progress"])

    async def open_for_member(self, user_id: int, now: datetime) -> list[Campaign]:
        """Open campaigns the member is invited to, soonest closing first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM diagnostic_campaigns WHERE status = 'open'"
            " AND closes_at > ? AND id IN"
            " (SELECT campaign_id FROM diagnostic_audience WHERE user_id = ?)"
            " ORDER BY closes_at, id",
            (to_iso(now), user_id),
        )
        return [_campaign(row) for row in rows]

    async def published_for_member(self, user_id: int, limit: int) -> list[Campaign]:
        """Published campaigns the member answered, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM diagnostic_campaigns WHERE published_at IS NOT NULL"
            " AND id IN (SELECT r.campaign_id FROM diagnostic_responses AS r WHERE r.user_id = ?"
            " AND EXISTS (SELECT 1 FROM diagnostic_answers WHERE response_id = r.id))"
            " ORDER BY published_at DESC LIMIT ?",
            (user_id, limit),
        )
        return [_campaign(row) for row in rows]

    # -- reminders ----------------------------------------------------------------------------

    async def due_reminders(self) -> list[tuple[int, datetime]]:
        """Reminders not done of campaigns not closed, with their due time."""
        rows = await self._db.fetchall(
            "SELECT r.id, r.due_at FROM diagnostic_reminders AS r"
            " JOIN diagnostic_campaigns AS c ON c.id = r.campaign_id"
            " WHERE r.done_at IS NULL AND c.status IN ('scheduled', 'open') ORDER BY r.id"
        )
        return [(row["id"], from_iso(row["due_at"])) for row in rows]

    async def claim_reminder(self, reminder_id: int, now: datetime) -> tuple[int, bool] | None:
        """Mark a due reminder done; return (campaign id, superseded) or None if not due.

        ``superseded`` is True when a later reminder of the same campaign is also due
        (the bot was down): only the latest one is sent.
        """
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "UPDATE diagnostic_reminders SET done_at = ? WHERE id = ? AND done_at IS NULL"
                " AND due_at <= ? RETURNING campaign_id, due_at",
                (to_iso(now), reminder_id, to_iso(now)),
            )
            if row is None:
                return None
            later = await tx.fetchone(
                "SELECT 1 FROM diagnostic_reminders WHERE campaign_id = ? AND done_at IS NULL"
                " AND due_at > ? AND due_at <= ?",
                (row["campaign_id"], row["due_at"], to_iso(now)),
            )
        return row["campaign_id"], later is not None

    async def set_reminder_send(self, reminder_id: int, send_id: int) -> None:
        """Record the send that carried a reminder."""
        await self._db.execute(
            "UPDATE diagnostic_reminders SET send_id = ? WHERE id = ?", (send_id, reminder_id)
        )

    async def reminders(self, campaign_id: int) -> list[tuple[datetime, bool]]:
        """The campaign's reminder times and whether each is done."""
        rows = await self._db.fetchall(
            "SELECT due_at, done_at FROM diagnostic_reminders WHERE campaign_id = ?"
            " ORDER BY due_at",
            (campaign_id,),
        )
        return [(from_iso(row["due_at"]), row["done_at"] is not None) for row in rows]

    # -- drafts -------------------------------------------------------------------------------

    async def save_draft(self, draft: CampaignDraft, now: datetime) -> None:
        """Create or replace the animator's draft."""
        await self._db.execute(
            f"INSERT OR REPLACE INTO diagnostic_drafts ({_DRAFT_COLUMNS}, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                draft.user_id,
                draft.questionnaire_id,
                draft.previous_id,
                draft.segment.encode() if draft.segment is not None else None,
                None if draft.anonymous is None else int(draft.anonymous),
                _iso(draft.opens_at),
                _iso(draft.closes_at),
                draft.reminder_plan.value if draft.reminder_plan else None,
                to_iso(now),
            ),
        )

    async def draft(self, user_id: int) -> CampaignDraft | None:
        """The animator's draft, if any."""
        row = await self._db.fetchone(
            f"SELECT {_DRAFT_COLUMNS} FROM diagnostic_drafts WHERE user_id = ?", (user_id,)
        )
        return _draft(row) if row else None

    async def drop_draft(self, user_id: int) -> None:
        """Forget the animator's draft."""
        await self._db.execute("DELETE FROM diagnostic_drafts WHERE user_id = ?", (user_id,))

    # -- personal data ------------------------------------------------------------------------

    async def launched_by(self, user_id: int) -> list[int]:
        """Ids of the campaigns the member launched."""
        rows = await self._db.fetchall(
            "SELECT id FROM diagnostic_campaigns WHERE created_by = ? ORDER BY id", (user_id,)
        )
        return [row["id"] for row in rows]

    async def invitations_of(self, user_id: int) -> list[int]:
        """Ids of the campaigns the member was invited to."""
        rows = await self._db.fetchall(
            "SELECT campaign_id FROM diagnostic_audience WHERE user_id = ? ORDER BY campaign_id",
            (user_id,),
        )
        return [row["campaign_id"] for row in rows]
