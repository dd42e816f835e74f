"""A known month of activity, written straight into the features' tables (unit and e2e).

March 2030 (Paris): 7 members registered (2 of them in March), 1 diagnostic campaign
(6 invited, 5 complete responses, 1 started), 1 visio session (6 voters, 9 ballot votes,
6 "yes", 4 attended, 5 ratings: 5 5 4 4 2), 1 co-development session held with 3
participants, 1 newsletter delivered to 6 members (its rows purged, the totals kept)
and 2 opt-outs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.clock import Clock
from bot.domain.stats.model import Metric, Month
from bot.domain.stats.service import StatsService
from bot.services import Services

MARCH = "2030-03-{day:02d}T10:00:00+00:00"
FEBRUARY = "2030-02-10T10:00:00+00:00"
MEMBERS = tuple(range(1, 8))
NEW_IN_MARCH = (6, 7)
"""Members by rank 1–7; ``seed_march`` maps the ranks to real user ids."""


def at(day: int) -> str:
    """A March 2030 instant (UTC, stored form)."""
    return MARCH.format(day=day)


async def _members(services: Services, ranks: dict[int, int]) -> None:
    async with services.db.transaction() as tx:
        for rank, user_id in ranks.items():
            when = at(2) if rank in NEW_IN_MARCH else FEBRUARY
            await tx.execute(
                "INSERT INTO members (user_id, language, consent_version, consented_at,"
                " registered_at, created_at, updated_at, display_name)"
                " VALUES (?, 'fr', 'v1', ?, ?, ?, ?, ?)",
                (user_id, when, when, when, when, f"Membre {user_id}"),
            )


async def _diagnostic(services: Services, campaign_id: int, audience: Sequence[int]) -> None:
    async with services.db.transaction() as tx:
        await tx.execute(
            "INSERT INTO diagnostic_campaigns (id, questionnaire_id, definition, anonymous,"
            " opens_at, closes_at, reminder_plan, status, created_at)"
            " VALUES (?, 'satisfaction', '{}', 1, ?, ?, '[]', 'closed', ?)",
            (campaign_id, at(5), at(20), at(5)),
        )
        for user_id in audience:
            await tx.execute(
                "INSERT INTO diagnostic_audience (campaign_id, user_id) VALUES (?, ?)",
                (campaign_id, user_id),
            )


async def _respond(
    services: Services, campaign_id: int, user_id: int, rating: int | None, complete: bool = True
) -> None:
    async with services.db.transaction() as tx:
        response = await tx.insert(
            "INSERT INTO diagnostic_responses (campaign_id, user_id, pseudonym, started_at,"
            " updated_at, completed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                campaign_id,
                user_id,
                f"p{campaign_id}-{user_id}",
                at(6),
                at(6),
                at(6) if complete else None,
            ),
        )
        if rating is not None:
            await tx.execute(
                "INSERT INTO diagnostic_answers (response_id, question_id, choice, updated_at)"
                " VALUES (?, 'overall', ?, ?)",
                (response, f'["{rating}"]', at(6)),
            )


async def _visio(services: Services, ranks: dict[int, int]) -> None:
    async with services.db.transaction() as tx:
        await tx.execute(
            "INSERT INTO visio_topics (id, title, norm, author_id, status, created_at, updated_at)"
            " VALUES (1, 'Accueil', 'accueil', ?, 'chosen', ?, ?)",
            (ranks[1], at(1), at(1)),
        )
        await tx.execute(
            "INSERT INTO visio_sessions (id, kind, status, starts_at, ends_at, topic_id,"
            " vote_closes_at, voters, feedback_campaign, created_at, updated_at)"
            " VALUES (1, 'monthly', 'scheduled', ?, ?, 1, ?, 6, 2, ?, ?)",
            (at(12), "2030-03-12T12:00:00+00:00", at(5), at(1), at(1)),
        )
        await tx.execute(
            "INSERT INTO visio_ballot (session_id, position, topic_id, votes) VALUES (1, 1, 1, 9)"
        )
        for rank in range(1, 7):
            attended = 1 if rank <= 4 else None
            await tx.execute(
                "INSERT INTO visio_rsvps (session_id, user_id, answer, attended, updated_at)"
                " VALUES (1, ?, 'yes', ?, ?)",
                (ranks[rank], attended, at(8)),
            )


async def _codev(services: Services, ranks: dict[int, int]) -> None:
    async with services.db.transaction() as tx:
        await tx.execute(
            "INSERT INTO codev_groups (id, name, theme, size_limit, meeting_mode, meeting_detail,"
            " charter, step_minutes, followup_weeks, created_at)"
            " VALUES (1, 'G', 'T', 8, 'video', 'lien', 'charte', '[]', 4, ?)",
            (at(1),),
        )
        await tx.execute(
            "INSERT INTO codev_sessions (id, group_id, client_id, case_text, status,"
            " requested_at, step_minutes, held_at) VALUES (1, 1, ?, 'cas', 'held', ?, '[]', ?)",
            (ranks[2], at(3), at(15)),
        )
        for rank in (1, 2, 3):
            await tx.execute(
                "INSERT INTO codev_attendance (session_id, user_id) VALUES (1, ?)", (ranks[rank],)
            )


async def _newsletter(services: Services, ranks: dict[int, int]) -> None:
    async with services.db.transaction() as tx:
        await tx.execute(
            "INSERT INTO sends (id, kind, category, created_at, due_at, status, finished_at,"
            " parts, delivery_totals) VALUES (1, 'newsletter', 'newsletter', ?, ?, 'done', ?,"
            " '{}', '{\"sent\": 6, \"blocked\": 1}')",
            (at(10), at(10), at(10)),
        )
        for rank in (3, 4):
            await tx.execute(
                "INSERT INTO delivery_preferences (user_id, category, opted_out, updated_at)"
                " VALUES (?, 'newsletter', 1, ?)",
                (ranks[rank], at(11)),
            )


async def seed_march(services: Services, ids: Sequence[int] = MEMBERS) -> None:
    """Write March 2030's activity (see the module's docstring) for members ``ids`` (7)."""
    ranks = dict(zip(MEMBERS, ids, strict=True))
    await _members(services, ranks)
    await _diagnostic(services, 1, [ranks[r] for r in range(1, 7)])
    for rank in range(1, 6):
        await _respond(services, 1, ranks[rank], None)
    await _respond(services, 1, ranks[6], None, complete=False)
    await _diagnostic(services, 2, [ranks[r] for r in range(1, 6)])
    for rank, rating in zip(range(1, 6), (5, 5, 4, 4, 2), strict=True):
        await _respond(services, 2, ranks[rank], rating)
    await _visio(services, ranks)
    await _codev(services, ranks)
    await _newsletter(services, ranks)


APRIL_NOON = datetime(2030, 4, 2, 10, 0, tzinfo=UTC)


async def vote_figures(services: Services, clock: Clock, session_id: int) -> tuple[float, float]:
    """Unmasked voters and votes /stats counts in the month the session's vote closed."""
    closed = (await services.visio.cycle.session(session_id)).vote_closes_at
    assert closed is not None
    zone = services.settings.timezone
    figures = await StatsService(services.db, clock, zone, 1).month(Month.of(closed, zone))
    voters, votes = (figures.cells[m].value for m in (Metric.VISIO_VOTERS, Metric.VISIO_VOTES))
    assert voters is not None and votes is not None
    return voters, votes
