"""The ``retention`` job: the daily purge at 03:30 in the network's zone (``retention:daily``).

Its due time is read from the database (the first 03:30 after the last recorded run), so
a purge missed while the bot was down runs once at start-up; the job re-reads it and does
nothing if today's purge is done, then arms itself for the next one.
"""

from __future__ import annotations

from bot.context import MaillageContext
from bot.services import Services
from schedules.registry import Due, JobKind, schedule

REF = "daily"


async def due_retention(services: Services) -> list[Due]:
    """The one daily purge and when it is due."""
    return [Due(REF, await services.retention.next_due())]


async def run_retention(context: MaillageContext, ref: str) -> None:
    """Purge if due (once per day), then arm the next purge."""
    services = context.services
    await services.retention.run_daily()
    due = Due(REF, await services.retention.next_due())
    schedule(context.application, RETENTION_JOB, due, services.clock.now())


RETENTION_JOB = JobKind("retention", due_retention, run_retention)
