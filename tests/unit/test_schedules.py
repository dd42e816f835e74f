from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.services import Services
from schedules import Due, JobKind, JobRegistry, job_id, register_jobs
from tests.conftest import TEST_TOKEN


async def test_jobs_are_rebuilt_from_rows_and_missed_ones_catch_up(
    services: Services, clock: FrozenClock
) -> None:
    from telegram.ext import ApplicationBuilder

    future = clock.now() + timedelta(hours=2)
    past = clock.now() - timedelta(hours=1)

    async def due_rows(_: Services) -> list[Due]:
        return [Due("1", future), Due("2", past)]

    async def run(_context: object, _ref: str) -> None:
        return None

    registry = JobRegistry()
    registry.add(JobKind("close_vote", due_rows, run))
    application = ApplicationBuilder().token(TEST_TOKEN).build()
    await application.job_queue.start()
    try:
        ids = await register_jobs(application, services, registry)
        assert ids == [job_id("close_vote", "1"), job_id("close_vote", "2")]
        jobs = {job.name: job for job in application.job_queue.jobs()}
        assert jobs["close_vote:1"].next_t == future
        assert jobs["close_vote:2"].next_t == clock.now() + timedelta(seconds=1)
        await register_jobs(application, services, registry)
        names = [job.name for job in application.job_queue.jobs() if not job.removed]
        assert sorted(names) == ["close_vote:1", "close_vote:2"]
    finally:
        await application.job_queue.stop()


def test_duplicate_kind_is_refused() -> None:
    registry = JobRegistry()

    async def nothing(*_: object) -> list[Due]:
        return []

    registry.add(JobKind("x", nothing, nothing))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="duplicate"):
        registry.add(JobKind("x", nothing, nothing))  # type: ignore[arg-type]


async def test_run_due_runs_only_what_the_clock_has_reached(
    services: Services, clock: FrozenClock
) -> None:
    from telegram.ext import ApplicationBuilder

    from bot.context import SERVICES_KEY
    from schedules import run_due

    ran: list[str] = []
    rows = [
        Due("early", clock.now() + timedelta(minutes=5)),
        Due("late", clock.now() + timedelta(days=1)),
    ]

    async def due_rows(_: Services) -> list[Due]:
        return rows

    async def run(context: object, ref: str) -> None:
        ran.append(ref)

    registry = JobRegistry()
    registry.add(JobKind("remind", due_rows, run))
    application = ApplicationBuilder().token(TEST_TOKEN).build()
    application.bot_data[SERVICES_KEY] = services
    assert await run_due(application, services, registry) == []
    clock.advance(timedelta(minutes=5))
    assert await run_due(application, services, registry) == ["remind:early"]
    assert ran == ["early"]
