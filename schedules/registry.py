"""Scheduler groundwork: job kinds declare their due rows; jobs are rebuilt from the database.

Job ids follow ``<kind>:<ref>`` (e.g. ``close_vote:42``). Every job re-reads its row and does
nothing when the work is already done, so a job may run twice without harm. A row already
due when the bot starts (missed while it was down) runs once, right away.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import Application, Job

from bot.context import MaillageContext
from bot.services import Services

CATCH_UP_DELAY = timedelta(seconds=1)


@dataclass(frozen=True)
class Due:
    """One piece of scheduled work: which row, and when."""

    ref: str
    at: datetime


@dataclass(frozen=True)
class JobKind:
    """A kind of scheduled work: where its due rows are and what runs for each."""

    name: str
    due_rows: Callable[[Services], Awaitable[list[Due]]]
    run: Callable[[MaillageContext, str], Awaitable[None]]


def job_id(kind: str, ref: str) -> str:
    """The job id convention: ``<kind>:<ref>``."""
    return f"{kind}:{ref}"


class JobRegistry:
    """The job kinds known to this bot instance."""

    def __init__(self) -> None:
        self._kinds: dict[str, JobKind] = {}

    def add(self, kind: JobKind) -> None:
        """Declare a job kind (names must be unique)."""
        if kind.name in self._kinds or ":" in kind.name:
            raise ValueError(f"bad or duplicate job kind {kind.name!r}")
        self._kinds[kind.name] = kind

    def kind(self, name: str) -> JobKind:
        """The kind called ``name``."""
        return self._kinds[name]

    @property
    def kinds(self) -> list[JobKind]:
        """Every declared kind."""
        return list(self._kinds.values())


async def _run_job(context: MaillageContext) -> None:
    job = context.job
    assert job is not None and isinstance(job.data, dict)
    kind: JobKind = job.data["kind"]
    await kind.run(context, job.data["ref"])


def schedule(
    application: Application[Any, Any, Any, Any, Any, Any], kind: JobKind, due: Due, now: datetime
) -> Job[Any]:
    """(Re)place the named job for ``due``; a past due time runs once, right away."""
    assert application.job_queue is not None
    name = job_id(kind.name, due.ref)
    for old in application.job_queue.get_jobs_by_name(name):
        old.schedule_removal()
    when = due.at if due.at > now else now + CATCH_UP_DELAY
    return application.job_queue.run_once(
        _run_job, when=when, name=name, data={"kind": kind, "ref": due.ref}
    )


async def run_due(
    application: Application[Any, Any, Any, Any, Any, Any],
    services: Services,
    registry: JobRegistry,
) -> list[str]:
    """Run at once every job whose row is due by the services' clock; return their ids.

    This is the catch-up path without waiting for the scheduler: tests with a controllable
    clock advance it and call this, exactly as a restart after downtime would.
    """
    now = services.clock.now()
    ran: list[str] = []
    for kind in registry.kinds:
        for due in await kind.due_rows(services):
            if due.at <= now:
                await kind.run(MaillageContext(application), due.ref)
                ran.append(job_id(kind.name, due.ref))
    return ran


async def register_jobs(
    application: Application[Any, Any, Any, Any, Any, Any],
    services: Services,
    registry: JobRegistry,
) -> list[str]:
    """Rebuild every job from the database rows; return the job ids scheduled."""
    now = services.clock.now()
    scheduled: list[str] = []
    for kind in registry.kinds:
        for due in await kind.due_rows(services):
            scheduled.append(schedule(application, kind, due, now).name or "")
    return scheduled
