"""Rules of the checklist: typed fields cleaned, and whether a step can be validated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.projects.checklist import Step
from bot.domain.projects.model import (
    MAX_COMMENT,
    MAX_FIELD,
    MAX_TITLE,
    Answer,
    CriterionAnswer,
    ProjectError,
)
from bot.domain.visio.inputs import clean_description
from bot.domain.visio.model import VisioError

LIMITS = {"title": MAX_TITLE, "problem": MAX_FIELD, "audience": MAX_FIELD, "needs": MAX_FIELD}


def clean(text: str | None, limit: int) -> str:
    """Typed text with its line breaks, 1 to ``limit`` characters (ProjectError otherwise)."""
    try:
        value = clean_description(text)
    except VisioError as error:
        params = {"limit": limit} if error.code == "too_long" else error.params
        raise ProjectError(error.code, **params) from None
    if len(value) > limit:
        raise ProjectError("too_long", limit=limit)
    if limit == MAX_TITLE and "\n" in value:
        value = " ".join(value.split())
    return value


def clean_field(field: str, text: str | None) -> str:
    """One of the fields a member types to propose a project."""
    return clean(text, LIMITS[field])


def clean_comment(text: str | None) -> str:
    """A comment on a criterion."""
    return clean(text, MAX_COMMENT)


@dataclass(frozen=True)
class StepCheck:
    """Why a step cannot be validated yet: the users criterion, or criteria still open."""

    users_missing: bool
    open_criteria: tuple[str, ...]

    @property
    def ready(self) -> bool:
        """Every criterion is met or not applicable, and the users criterion is met."""
        return not self.users_missing and not self.open_criteria


def check_step(step: Step, answers: Sequence[CriterionAnswer]) -> StepCheck:
    """Whether ``step`` can be validated with these answers."""
    given = {a.criterion: a.answer for a in answers}
    users_missing = any(c.users and given.get(c.id) is not Answer.MET for c in step.criteria)
    open_criteria = tuple(
        c.id
        for c in step.criteria
        if not c.users and given.get(c.id) not in (Answer.MET, Answer.NA)
    )
    return StepCheck(users_missing, open_criteria)
