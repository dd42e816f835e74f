"""Scheduled work: one module per kind of job, all rebuilt from the database at start-up."""

from schedules.codev.jobs import CODEV_JOBS
from schedules.deliveries import SEND_JOB, dispatch, schedule_send
from schedules.diagnostic.jobs import CLOSE_JOB, OPEN_JOB, REMIND_JOB
from schedules.newsletter.jobs import REPORT_JOB as NEWSLETTER_REPORT_JOB
from schedules.projects import MILESTONE_JOB
from schedules.registry import (
    Due,
    JobKind,
    JobRegistry,
    job_id,
    register_jobs,
    run_due,
    schedule,
)
from schedules.retention import RETENTION_JOB
from schedules.stats.jobs import PROMPT_JOB as STATS_PROMPT_JOB
from schedules.visio import VISIO_JOB

__all__ = [
    "SEND_JOB",
    "Due",
    "JobKind",
    "JobRegistry",
    "dispatch",
    "job_id",
    "register_jobs",
    "run_due",
    "schedule",
    "schedule_send",
]


def default_registry() -> JobRegistry:
    """The job kinds this version of maillage runs."""
    registry = JobRegistry()
    registry.add(SEND_JOB)
    for kind in CODEV_JOBS:
        registry.add(kind)
    registry.add(OPEN_JOB)
    registry.add(REMIND_JOB)
    registry.add(CLOSE_JOB)
    registry.add(VISIO_JOB)
    registry.add(NEWSLETTER_REPORT_JOB)
    registry.add(RETENTION_JOB)
    registry.add(STATS_PROMPT_JOB)
    registry.add(MILESTONE_JOB)
    return registry
