"""SQL of the usage statistics: every month's raw counts, read from the features' tables.

Each query joins a ``months (m, lo, hi)`` table of UTC bounds and returns ``(m, name, n)``
rows. Only aggregates leave this module. Counts that retention would erase are read from
what it keeps: a send's ``delivery_totals``, a ballot's ``votes``, a session's ``voters``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import to_iso
from bot.domain.stats.model import RATING_TOTAL, Metric
from bot.storage.db import Database

Span = tuple[str, datetime, datetime]
"""A month's key and its bounds (UTC): ``lo <= at < hi``."""

_IN = "{at} >= months.lo AND {at} < months.hi"

_MEMBERS = f"""
SELECT months.m, '{Metric.MEMBERS_REGISTERED}',
    (SELECT COUNT(*) FROM members WHERE registered_at < months.hi) FROM months
UNION ALL
SELECT months.m, '{Metric.MEMBERS_NEW}',
    (SELECT COUNT(*) FROM members WHERE registered_at >= months.lo
        AND registered_at < months.hi) FROM months"""

# Active: did at least one thing the bot records in the month (see docs/architecture.md).
_ACTIVE = f"""
WITH acts (user_id, at) AS (
    SELECT user_id, updated_at FROM diagnostic_responses WHERE user_id IS NOT NULL
    UNION ALL SELECT user_id, at FROM visio_votes
    UNION ALL SELECT author_id, created_at FROM visio_topics WHERE author_id IS NOT NULL
    UNION ALL SELECT user_id, updated_at FROM visio_rsvps WHERE user_id IS NOT NULL
    UNION ALL SELECT client_id, requested_at FROM codev_sessions WHERE client_id IS NOT NULL
    UNION ALL SELECT user_id, at FROM codev_rsvps
    UNION ALL SELECT user_id, at FROM codev_learnings
    UNION ALL SELECT a.user_id, s.held_at FROM codev_attendance AS a
        JOIN codev_sessions AS s ON s.id = a.session_id
        WHERE a.user_id IS NOT NULL AND s.held_at IS NOT NULL
)
SELECT months.m, '{Metric.MEMBERS_ACTIVE}', COUNT(DISTINCT acts.user_id)
FROM months JOIN acts ON {_IN.format(at="acts.at")}
WHERE acts.user_id IN (SELECT user_id FROM members WHERE registered_at IS NOT NULL)
GROUP BY months.m"""

# Campaigns opened in the month; the satisfaction questionnaires of sessions count there.
_DIAGNOSTIC = f"""
WITH c AS (
    SELECT months.m AS m, dc.id AS id FROM months JOIN diagnostic_campaigns AS dc
        ON {_IN.format(at="dc.opens_at")}
    WHERE dc.id NOT IN (SELECT feedback_campaign FROM visio_sessions
                        WHERE feedback_campaign IS NOT NULL)
)
SELECT m, '{Metric.DIAGNOSTIC_CAMPAIGNS}', COUNT(*) FROM c GROUP BY m
UNION ALL
SELECT c.m, '{Metric.DIAGNOSTIC_INVITED}', COUNT(*) FROM c
    JOIN diagnostic_audience AS a ON a.campaign_id = c.id GROUP BY c.m
UNION ALL
SELECT c.m, '{Metric.DIAGNOSTIC_RESPONSES}', COUNT(*) FROM c
    JOIN diagnostic_responses AS r ON r.campaign_id = c.id
    WHERE r.completed_at IS NOT NULL GROUP BY c.m"""

# Votes count in the month their ballot closes; kept counts first, live rows otherwise.
_VOTES = f"""
WITH v AS (
    SELECT months.m AS m,
        COALESCE(s.voters, (SELECT COUNT(DISTINCT user_id) FROM visio_votes
                            WHERE session_id = s.id)) AS voters,
        COALESCE((SELECT SUM(votes) FROM visio_ballot WHERE session_id = s.id),
                 (SELECT COUNT(*) FROM visio_votes WHERE session_id = s.id)) AS votes
    FROM months JOIN visio_sessions AS s ON {_IN.format(at="s.vote_closes_at")}
)
SELECT m, '{Metric.VISIO_VOTERS}', SUM(voters) FROM v GROUP BY m
UNION ALL
SELECT m, '{Metric.VISIO_VOTES}', SUM(votes) FROM v GROUP BY m"""

# Sessions held: on the calendar, over by now; ratings from their satisfaction questionnaire.
_SESSIONS = f"""
WITH s AS (
    SELECT months.m AS m, vs.id AS id, vs.feedback_campaign AS campaign
    FROM months JOIN visio_sessions AS vs ON {_IN.format(at="vs.starts_at")}
    WHERE vs.status = 'scheduled' AND vs.ends_at <= months.now
), rated AS (
    SELECT s.m AS m, CAST(json_extract(a.choice, '$[0]') AS INTEGER) AS rating
    FROM s JOIN diagnostic_responses AS r ON r.campaign_id = s.campaign
    JOIN diagnostic_answers AS a ON a.response_id = r.id
    WHERE a.question_id = 'overall' AND a.dont_know = 0 AND a.choice IS NOT NULL
)
SELECT m, '{Metric.VISIO_SESSIONS}', COUNT(*) FROM s GROUP BY m
UNION ALL
SELECT s.m, '{Metric.VISIO_COMING}', COUNT(*) FROM s
    JOIN visio_rsvps AS r ON r.session_id = s.id WHERE r.answer = 'yes' GROUP BY s.m
UNION ALL
SELECT s.m, '{Metric.VISIO_ATTENDED}', COUNT(*) FROM s
    JOIN visio_rsvps AS r ON r.session_id = s.id WHERE r.attended = 1 GROUP BY s.m
UNION ALL
SELECT m, '{Metric.VISIO_RATINGS}', COUNT(*) FROM rated GROUP BY m
UNION ALL
SELECT m, '{RATING_TOTAL}', SUM(rating) FROM rated GROUP BY m"""

_CODEV = f"""
WITH s AS (
    SELECT months.m AS m, cs.id AS id FROM months JOIN codev_sessions AS cs
        ON {_IN.format(at="cs.held_at")}
)
SELECT m, '{Metric.CODEV_SESSIONS}', COUNT(*) FROM s GROUP BY m
UNION ALL
SELECT s.m, '{Metric.CODEV_PARTICIPANTS}', COUNT(*) FROM s
    JOIN codev_attendance AS a ON a.session_id = s.id GROUP BY s.m"""

# Letters finished in the month; delivered = live 'sent' rows + the totals kept by a purge.
_NEWSLETTER = f"""
WITH l AS (
    SELECT months.m AS m,
        (SELECT COUNT(*) FROM deliveries AS d WHERE d.send_id = sends.id AND d.state = 'sent')
        + COALESCE(json_extract(sends.delivery_totals, '$.sent'), 0) AS sent
    FROM months JOIN sends ON {_IN.format(at="sends.finished_at")}
    WHERE sends.kind = 'newsletter' AND sends.status = 'done'
)
SELECT m, '{Metric.NEWSLETTER_LETTERS}', COUNT(*) FROM l GROUP BY m
UNION ALL
SELECT m, '{Metric.NEWSLETTER_DELIVERED}', SUM(sent) FROM l GROUP BY m
UNION ALL
SELECT months.m, '{Metric.NEWSLETTER_OPT_OUTS}', COUNT(*) FROM months
    JOIN delivery_preferences AS p ON {_IN.format(at="p.updated_at")}
    WHERE p.category = 'newsletter' AND p.opted_out = 1 GROUP BY months.m"""

QUERIES = (_MEMBERS, _ACTIVE, _DIAGNOSTIC, _VOTES, _SESSIONS, _CODEV, _NEWSLETTER)


class FigureStore:
    """The raw monthly counts, read in one transaction so they agree with each other."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def counts(self, spans: Sequence[Span], now: datetime) -> dict[str, dict[str, int]]:
        """Raw counts by month key, then by metric value (and the rating total)."""
        values = ", ".join("(?, ?, ?, ?)" for _ in spans)
        params: list[str] = []
        for key, lo, hi in spans:
            params += [key, to_iso(lo), to_iso(hi), to_iso(now)]
        found: dict[str, dict[str, int]] = {key: {} for key, _, _ in spans}
        async with self._db.transaction() as tx:
            for query in QUERIES:
                for row in await tx.fetchall(_with_months(query, values), params):
                    found[row[0]][row[1]] = int(row[2] or 0)
        return found


def _with_months(query: str, values: str) -> str:
    """Put the ``months`` table in front of the query's own WITH clause, if it has one."""
    months = f"months (m, lo, hi, now) AS (VALUES {values})"
    body = query.strip()
    if body.startswith("WITH "):
        return f"WITH {months}, {body[len('WITH ') :]}"
    return f"WITH {months} {body}"
