"""Project jobs and notices: milestone reminders, updates to a project's people."""

from schedules.projects.jobs import MILESTONE_JOB

__all__ = ["MILESTONE_JOB"]
