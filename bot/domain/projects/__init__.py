"""Strategic projects (phase 2 of the ministry toolbox), checked against the 5-step criteria."""

from bot.domain.projects.checklist import Checklist, Criterion, Step, load_checklist
from bot.domain.projects.model import (
    FIELDS,
    Answer,
    CriterionAnswer,
    Note,
    Project,
    ProjectError,
    ProjectStatus,
)
from bot.domain.projects.service import ProjectService

__all__ = [
    "FIELDS",
    "Answer",
    "Checklist",
    "Criterion",
    "CriterionAnswer",
    "Note",
    "Project",
    "ProjectError",
    "ProjectService",
    "ProjectStatus",
    "Step",
    "load_checklist",
]
