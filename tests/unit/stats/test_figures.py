"""The monthly figures read from the features' tables, and the masking under k."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import FrozenClock
from bot.domain.stats.figures import mask
from bot.domain.stats.model import RATING_TOTAL, Cell, Metric, Month
from bot.services import Services
from tests.unit.stats.activity import APRIL_NOON

MARCH = Month(2030, 3)


def test_month_parse_shift_and_last() -> None:
    assert Month.parse("2030-03") == MARCH
    for bad in ("2030-3", "2030-13", "2030-00", "30-03", "abcd-ef", "2030_03", ""):
        assert Month.parse(bad) is None
    assert MARCH.shift(-3) == Month(2029, 12)
    assert MARCH.shift(10) == Month(2031, 1)
    assert [m.key for m in MARCH.last(3)] == ["2030-01", "2030-02", "2030-03"]


def test_people_under_k_are_hidden_zero_and_events_are_shown() -> None:
    counts = {
        Metric.MEMBERS_REGISTERED.value: 4,
        Metric.MEMBERS_ACTIVE.value: 5,
        Metric.MEMBERS_NEW.value: 0,
        Metric.CODEV_SESSIONS.value: 1,
    }
    cells = mask(MARCH, counts, 5).cells
    assert cells[Metric.MEMBERS_REGISTERED] == Cell(None, hidden=True)
    assert cells[Metric.MEMBERS_ACTIVE] == Cell(5)
    assert cells[Metric.MEMBERS_NEW] == Cell(0)
    assert cells[Metric.CODEV_SESSIONS] == Cell(1)  # an event, not a person
    assert cells[Metric.DIAGNOSTIC_RATE] == Cell(None)  # nobody invited: no rate at all


def test_ratios_need_k_in_every_base() -> None:
    few_answers = {Metric.DIAGNOSTIC_INVITED.value: 40, Metric.DIAGNOSTIC_RESPONSES.value: 3}
    assert mask(MARCH, few_answers, 5).cells[Metric.DIAGNOSTIC_RATE].hidden
    ratings = {Metric.VISIO_RATINGS.value: 4, RATING_TOTAL: 18}
    assert mask(MARCH, ratings, 5).cells[Metric.VISIO_SATISFACTION].hidden
    assert mask(MARCH, ratings, 4).cells[Metric.VISIO_SATISFACTION] == Cell(4.5)


async def test_a_month_of_activity_reads_back_masked(march: Services, clock: FrozenClock) -> None:
    clock.set(APRIL_NOON)
    figures = await march.stats.month(MARCH)
    shown = {m: c.value for m, c in figures.cells.items() if not c.hidden}
    hidden = {m for m, c in figures.cells.items() if c.hidden}
    assert shown == {
        Metric.MEMBERS_REGISTERED: 7,
        Metric.MEMBERS_ACTIVE: 6,
        Metric.DIAGNOSTIC_CAMPAIGNS: 1,  # the visio's satisfaction questionnaire is not one
        Metric.DIAGNOSTIC_INVITED: 6,
        Metric.DIAGNOSTIC_RESPONSES: 5,  # complete only
        Metric.DIAGNOSTIC_RATE: 83.33,
        Metric.VISIO_VOTERS: 6,
        Metric.VISIO_VOTES: 9,  # the ballot's kept count
        Metric.VISIO_SESSIONS: 1,
        Metric.VISIO_COMING: 6,
        Metric.VISIO_RATINGS: 5,
        Metric.VISIO_SATISFACTION: 4.0,
        Metric.CODEV_SESSIONS: 1,
        Metric.NEWSLETTER_LETTERS: 1,
        Metric.NEWSLETTER_DELIVERED: 6,  # from delivery_totals: the rows were purged
    }
    assert hidden == {
        Metric.MEMBERS_NEW,  # 2
        Metric.VISIO_ATTENDED,  # 4
        Metric.CODEV_PARTICIPANTS,  # 3
        Metric.NEWSLETTER_OPT_OUTS,  # 2
    }


async def test_a_month_with_no_data_is_empty_but_keeps_the_members(
    march: Services, clock: FrozenClock
) -> None:
    clock.set(APRIL_NOON)
    april = await march.stats.month(Month(2030, 4))
    assert april.empty
    assert april.cells[Metric.MEMBERS_REGISTERED] == Cell(7)
    before = await march.stats.month(Month(2029, 6))
    assert before.empty and before.cells[Metric.MEMBERS_REGISTERED] == Cell(0)


async def test_a_session_not_over_yet_is_not_counted_held(
    march: Services, clock: FrozenClock
) -> None:
    # the fixture's clock: 5 March, before the session of the 12th
    figures = await march.stats.month(MARCH)
    assert figures.cells[Metric.VISIO_SESSIONS] == Cell(0)
    assert figures.cells[Metric.VISIO_RATINGS] == Cell(0)


async def test_live_delivery_rows_add_to_the_kept_totals(
    march: Services, clock: FrozenClock
) -> None:
    clock.set(APRIL_NOON)
    async with march.db.transaction() as tx:
        for user_id in (1, 2):
            await tx.execute(
                "INSERT INTO deliveries (send_id, chat_id, user_id, language, state, updated_at)"
                " VALUES (1, ?, ?, 'fr', 'sent', '2030-03-10T10:00:00+00:00')",
                (user_id, user_id),
            )
    figures = await march.stats.month(MARCH)
    assert figures.cells[Metric.NEWSLETTER_DELIVERED] == Cell(8)


async def test_the_year_is_twelve_months_oldest_first(march: Services, clock: FrozenClock) -> None:
    clock.set(APRIL_NOON)
    year = await march.stats.year()
    keys = [f.month.key for f in year]
    assert (len(keys), keys[0], keys[-1]) == (12, "2029-05", "2030-04")
    assert [f.month for f in year if not f.empty] == [Month(2030, 2), MARCH]  # 5 joined in Feb


async def test_the_figures_survive_the_retention_purge(march: Services, clock: FrozenClock) -> None:
    async with march.db.transaction() as tx:  # two rows still live beside the kept totals
        for user_id in (1, 2):
            await tx.execute(
                "INSERT INTO deliveries (send_id, chat_id, user_id, language, state, updated_at)"
                " VALUES (1, ?, ?, 'fr', 'sent', '2030-03-10T10:00:00+00:00')",
                (user_id, user_id),
            )
    clock.set(APRIL_NOON)
    before = await march.stats.month(MARCH)
    clock.set(datetime(2032, 6, 1, tzinfo=UTC))  # 24 months later: March 2030 is purged
    report = await march.retention.purge()
    assert report.total
    rows = await march.db.fetchone("SELECT COUNT(*) AS n FROM deliveries")
    assert rows is not None and rows["n"] == 0
    after = await march.stats.month(MARCH)
    for metric in (
        Metric.NEWSLETTER_DELIVERED,
        Metric.VISIO_VOTES,
        Metric.VISIO_VOTERS,
        Metric.DIAGNOSTIC_RESPONSES,
        Metric.VISIO_SATISFACTION,
        Metric.CODEV_SESSIONS,
    ):
        assert after.cells[metric] == before.cells[metric], metric
    assert after.cells[Metric.NEWSLETTER_DELIVERED] == Cell(8)
