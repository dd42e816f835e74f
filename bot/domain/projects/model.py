"""The vocabulary of strategic projects: a project, its answers, notes and refusals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

MAX_TITLE = 100
MAX_FIELD = 1000
MAX_COMMENT = 500
MAX_NOTE = 1000
MAX_CONTRIBUTORS = 200
FIELDS = ("title", "problem", "audience", "needs")
"""What a member types to propose a project, in the order it is asked."""


class ProjectStatus(StrEnum):
    """Where a project stands: being written, carried, through every step, or withdrawn."""

    DRAFT = "draft"
    ACTIVE = "active"
    DONE = "done"
    WITHDRAWN = "withdrawn"


class Answer(StrEnum):
    """The holder's answer to one criterion."""

    MET = "met"
    NOT_YET = "not_yet"
    NA = "na"


class ProjectError(ValueError):
    """A request was refused; ``code`` names the reason in the catalogs, ``params`` fill it."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Project:
    """A project carried by a member (``holder_id`` None once the holder was erased)."""

    id: int
    holder_id: int | None
    title: str
    problem: str
    audience: str
    needs: str
    step: int
    status: ProjectStatus
    max_contributors: int | None
    created_at: datetime
    updated_at: datetime
    contributors: int = 0
    idea_campaign: int | None = None
    idea_theme: str | None = None

    @property
    def is_open(self) -> bool:
        """Still carried (its checklist can be answered, people can join)."""
        return self.status is ProjectStatus.ACTIVE


@dataclass(frozen=True)
class CriterionAnswer:
    """What the holder answered to one criterion of one step."""

    criterion: str
    answer: Answer
    comment: str | None


@dataclass(frozen=True)
class Note:
    """A progress note, or a milestone when it has a date."""

    id: int
    project_id: int
    author_id: int | None
    text: str
    due_at: datetime | None
    created_at: datetime
