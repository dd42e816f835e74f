"""A small network for the project domain tests: an animator (900) and three members."""

from __future__ import annotations

import pytest

from bot.domain.members import Role
from bot.domain.projects import Answer, Project
from bot.services import Services
from tests.conftest import register

HOLDER, BRUNO, CHLOE = 1, 2, 3
FIELDS_TYPED = {
    "problem": "Les usagers ne trouvent pas l’aide en ligne",
    "audience": "Les usagers des MFS",
    "needs": "Deux agents volontaires",
}


@pytest.fixture
async def network(services: Services) -> Services:
    """Anne animates; Alice holds projects; Bruno and Chloé may join."""
    await register(services, 900, "Anne")
    await services.members.force_role(900, Role.ANIMATOR)
    for user_id, name in ((HOLDER, "Alice"), (BRUNO, "Bruno"), (CHLOE, "Chloé")):
        await register(services, user_id, name)
    return services


async def proposed(services: Services, title: str = "Accueil numérique") -> Project:
    """A project Alice proposed with every field typed (active, at step 0)."""
    project = await services.projects.start(HOLDER, title)
    for field, text in FIELDS_TYPED.items():
        project = await services.projects.fill(HOLDER, project.id, field, text)
    return project


async def meet_step(services: Services, project: Project, users: Answer = Answer.MET) -> None:
    """Alice answers every criterion of the project's current step as met."""
    step = services.projects.step_of(project)
    assert step is not None
    for criterion in step.criteria:
        answer = users if criterion.users else Answer.MET
        await services.projects.record_answer(
            HOLDER, project.id, project.step, criterion.id, answer
        )
