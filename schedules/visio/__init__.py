"""The visio cycle's job, the messages it sends and the group poll."""

from schedules.visio.jobs import VISIO_JOB, advance, arm
from schedules.visio.publish import publish

__all__ = ["VISIO_JOB", "advance", "arm", "publish"]
