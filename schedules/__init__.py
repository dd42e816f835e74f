"""Scheduled work: one module per kind of job, all rebuilt from the database at start-up."""

from schedules.registry import Due, JobKind, JobRegistry, job_id, register_jobs, schedule

__all__ = ["Due", "JobKind", "JobRegistry", "job_id", "register_jobs", "schedule"]


def default_registry() -> JobRegistry:
    """The job kinds this version of maillage runs."""
    return JobRegistry()
