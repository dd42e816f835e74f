"""SQL for the one row of visio settings."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time

from bot.clock import to_iso
from bot.domain.visio.model import VisioSettings
from bot.storage.db import Database

_COLUMNS = (
    "rule, start_time, duration, anchor, link, proposal_days, vote_open_days,"
    " vote_close_days, reminders, group_chat_id"
)


class SettingsStore:
    """Reads and writes the network's visio settings (defaults until an animator sets them)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self) -> VisioSettings:
        """The current settings."""
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM visio_settings WHERE id = 1")
        if row is None:
            return VisioSettings()
        return VisioSettings(
            rule=row["rule"],
            start=time.fromisoformat(row["start_time"]),
            duration=row["duration"],
            anchor=date.fromisoformat(row["anchor"]) if row["anchor"] else None,
            link=row["link"],
            proposal_days=row["proposal_days"],
            vote_open_days=row["vote_open_days"],
            vote_close_days=row["vote_close_days"],
            reminders=tuple(json.loads(row["reminders"])),
            group_chat_id=row["group_chat_id"],
        )

    async def save(self, settings: VisioSettings, at: datetime) -> VisioSettings:
        """Store the whole settings row."""
        await self._db.execute(
            f"INSERT INTO visio_settings (id, {_COLUMNS}, updated_at)"
            " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET rule = excluded.rule,"
            " start_time = excluded.start_time, duration = excluded.duration,"
            " anchor = excluded.anchor, link = excluded.link,"
            " proposal_days = excluded.proposal_days, vote_open_days = excluded.vote_open_days,"
            " vote_close_days = excluded.vote_close_days, reminders = excluded.reminders,"
            " group_chat_id = excluded.group_chat_id, updated_at = excluded.updated_at",
            (
                settings.rule,
                settings.start.strftime("%H:%M"),
                settings.duration,
                settings.anchor.isoformat() if settings.anchor else None,
                settings.link,
                settings.proposal_days,
                settings.vote_open_days,
                settings.vote_close_days,
                json.dumps(list(settings.reminders)),
                settings.group_chat_id,
                to_iso(at),
            ),
        )
        return settings

    async def update(self, at: datetime, **changes: object) -> VisioSettings:
        """Change some fields of the settings and return the new ones."""
        return await self.save(replace(await self.get(), **changes), at)
