"""SQL for retention: what is older than a cutoff, counted or purged in one transaction.

Every category has one counting query and the statements that purge it; each takes the
cutoff (ISO UTC text) as its only parameter, and the last statement's changed rows are the
category's count, so a dry run counts exactly what a purge removes. Aggregates survive: a
send keeps its delivery counts by state (``sends.delivery_totals``), a diagnostic response
keeps its answers without the member, a ballot keeps its counts (and its topics) once the
members' votes go.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.clock import from_iso, to_iso
from bot.storage.db import Database, Transaction


@dataclass(frozen=True)
class _Category:
    name: str
    count: str
    purge: tuple[str, ...]


def _older(table: str, column: str) -> _Category:
    """Rows of ``table`` whose ``column`` lies before the cutoff, deleted."""
    return _Category(
        table,
        f"SELECT COUNT(*) AS n FROM {table} WHERE {column} < ?",
        (f"DELETE FROM {table} WHERE {column} < ?",),
    )


_FINISHED_SENDS = "SELECT id FROM sends WHERE status IN ('done', 'cancelled') AND finished_at < ?"

# Totals by state of the rows about to go, added to those kept by an earlier purge.
_KEEP_TOTALS = f"""UPDATE sends SET delivery_totals = (
    SELECT json_group_object(state, n) FROM (
        SELECT state, SUM(n) AS n FROM (
            SELECT d.state AS state, COUNT(*) AS n FROM deliveries AS d
            WHERE d.send_id = sends.id GROUP BY d.state
            UNION ALL
            SELECT t.key AS state, t.value AS n FROM json_each(sends.delivery_totals) AS t
        ) GROUP BY state
    )
) WHERE id IN ({_FINISHED_SENDS})
    AND EXISTS (SELECT 1 FROM deliveries AS d WHERE d.send_id = sends.id)"""

_CLOSED_CAMPAIGNS = "SELECT id FROM diagnostic_campaigns WHERE status = 'closed' AND closed_at < ?"

# Never chosen, untouched since the cutoff, on no ballot and no session (their votes stay).
_STALE_TOPICS = """SELECT t.id FROM visio_topics AS t
    WHERE t.status <> 'chosen' AND t.updated_at < ?
    AND NOT EXISTS (SELECT 1 FROM visio_ballot AS b WHERE b.topic_id = t.id)
    AND NOT EXISTS (SELECT 1 FROM visio_sessions AS s WHERE s.topic_id = t.id)"""

# Votes closed before the cutoff whose counts the ballot keeps (who voted what can go).
_COUNTED_VOTES = """SELECT s.id FROM visio_sessions AS s WHERE s.vote_closes_at < ?
    AND EXISTS (SELECT 1 FROM visio_ballot AS b WHERE b.session_id = s.id)
    AND NOT EXISTS (SELECT 1 FROM visio_ballot AS b
                    WHERE b.session_id = s.id AND b.votes IS NULL)"""

CATEGORIES: tuple[_Category, ...] = (
    _Category(
        "deliveries",
        f"SELECT COUNT(*) AS n FROM deliveries WHERE send_id IN ({_FINISHED_SENDS})",
        (_KEEP_TOTALS, f"DELETE FROM deliveries WHERE send_id IN ({_FINISHED_SENDS})"),
    ),
    _older("audit_log", "at"),
    _older("consent_refusals", "refused_at"),
    _older("conversation_states", "updated_at"),
    _older("codev_inputs", "at"),
    _older("visio_inputs", "updated_at"),
    _older("project_inputs", "updated_at"),
    _older("newsletter_drafts", "updated_at"),
    _older("diagnostic_drafts", "updated_at"),
    _older("codev_code_attempts", "at"),
    _older("directory_imports", "created_at"),  # checked, never confirmed nor cancelled
    _Category(
        "codev_invites",
        "SELECT COUNT(*) AS n FROM codev_invites"
        " WHERE MIN(expires_at, COALESCE(revoked_at, expires_at)) < ?",
        ("DELETE FROM codev_invites WHERE MIN(expires_at, COALESCE(revoked_at, expires_at)) < ?",),
    ),
    _Category(
        "diagnostic_responses",
        "SELECT COUNT(*) AS n FROM diagnostic_responses"
        f" WHERE user_id IS NOT NULL AND campaign_id IN ({_CLOSED_CAMPAIGNS})",
        (
            "UPDATE diagnostic_responses SET user_id = NULL"
            f" WHERE user_id IS NOT NULL AND campaign_id IN ({_CLOSED_CAMPAIGNS})",
        ),
    ),
    _Category(
        "diagnostic_audience",
        "SELECT COUNT(*) AS n FROM diagnostic_audience"
        f" WHERE user_id IS NOT NULL AND campaign_id IN ({_CLOSED_CAMPAIGNS})",
        (
            "UPDATE diagnostic_audience SET user_id = NULL"
            f" WHERE user_id IS NOT NULL AND campaign_id IN ({_CLOSED_CAMPAIGNS})",
        ),
    ),
    _Category(
        "visio_votes",
        f"SELECT COUNT(*) AS n FROM visio_votes WHERE session_id IN ({_COUNTED_VOTES})",
        (f"DELETE FROM visio_votes WHERE session_id IN ({_COUNTED_VOTES})",),
    ),
    _Category(
        "visio_topics",
        f"SELECT COUNT(*) AS n FROM ({_STALE_TOPICS})",
        (
            # A kept topic merged into one that goes loses the pointer, not itself.
            "UPDATE visio_topics SET merged_into = NULL"
            f" WHERE merged_into IN ({_STALE_TOPICS}) AND id NOT IN ({_STALE_TOPICS})",
            f"DELETE FROM visio_topics WHERE id IN ({_STALE_TOPICS})",
        ),
    ),
    _older("faq_inputs", "updated_at"),
    # A member's question, answered (or left waiting) before the cutoff: a published
    # entry made from it stays, linked to no one.
    _older("faq_questions", "COALESCE(answered_at, asked_at)"),
)


# Categories whose rows stay, unlinked from the member, rather than go.
UNLINKED = frozenset({"diagnostic_responses", "diagnostic_audience"})


def _params(sql: str, cutoff: str) -> tuple[str, ...]:
    return (cutoff,) * sql.count("?")


class RetentionStore:
    """Counts and purges what retention removes; records each purge."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def count(self, cutoff: datetime) -> dict[str, int]:
        """What a purge at ``cutoff`` would remove or anonymise, per category."""
        at = to_iso(cutoff)
        counts: dict[str, int] = {}
        async with self._db.transaction() as tx:
            for category in CATEGORIES:
                row = await tx.fetchone(category.count, _params(category.count, at))
                counts[category.name] = int(row["n"]) if row else 0
        return counts

    async def purge(
        self, cutoff: datetime, now: datetime, months: int, trigger: str
    ) -> dict[str, int]:
        """Remove or anonymise everything older than ``cutoff`` and record the run, atomically.

        Conversation states written before they carried a time are dated ``now`` first,
        so they go one retention period later.
        """
        at = to_iso(cutoff)
        counts: dict[str, int] = {}
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE conversation_states SET updated_at = ? WHERE updated_at IS NULL",
                (to_iso(now),),
            )
            for category in CATEGORIES:
                counts[category.name] = await _run(tx, category, at)
            await tx.execute(
                "INSERT INTO retention_runs (ran_at, trigger, months, cutoff, counts)"
                " VALUES (?, ?, ?, ?, ?)",
                (to_iso(now), trigger, months, at, json.dumps(counts)),
            )
        return counts

    async def last_run(self) -> datetime | None:
        """When retention last ran, or else when it was installed (its schema step)."""
        row = await self._db.fetchone(
            "SELECT COALESCE((SELECT MAX(ran_at) FROM retention_runs),"
            " (SELECT applied_at FROM schema_migrations WHERE name = '0013_retention')) AS at"
        )
        return from_iso(row["at"]) if row and row["at"] else None


async def _run(tx: Transaction, category: _Category, cutoff: str) -> int:
    changed = 0
    for statement in category.purge:
        changed = await tx.execute(statement, _params(statement, cutoff))
    return changed
