"""Proposing, the checklist, validation, contributors and notes, in the domain."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.domain.projects import Answer, ProjectError, ProjectStatus
from bot.services import Services
from tests.unit.projects.conftest import BRUNO, CHLOE, HOLDER, meet_step, proposed


async def test_a_project_is_a_draft_until_its_last_field(network: Services) -> None:
    project = await network.projects.start(HOLDER, "  Accueil\n numérique ")
    assert project.title == "Accueil numérique" and project.status is ProjectStatus.DRAFT
    project = await network.projects.fill(HOLDER, project.id, "problem", "Un problème")
    assert project.status is ProjectStatus.DRAFT
    project = await proposed(network)
    assert project.status is ProjectStatus.ACTIVE and project.step == 0
    assert [p.id for p in await network.projects.mine(HOLDER)] == [project.id, project.id - 1]


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [
        ("title", "x" * 101, "too_long"),
        ("problem", "y" * 1001, "too_long"),
        ("needs", " ", "empty"),
    ],
)
async def test_bad_fields_are_refused(network: Services, field: str, text: str, code: str) -> None:
    project = await network.projects.start(HOLDER, "Titre")
    attempt = (
        network.projects.start(HOLDER, text)
        if field == "title"
        else network.projects.fill(HOLDER, project.id, field, text)
    )
    with pytest.raises(ProjectError) as refused:
        await attempt
    assert refused.value.code == code


async def test_only_the_holder_edits_and_answers_and_refusals_are_audited(
    network: Services,
) -> None:
    project = await proposed(network)
    with pytest.raises(ProjectError, match="not_holder"):
        await network.projects.fill(BRUNO, project.id, "needs", "Tout")
    with pytest.raises(ProjectError, match="not_holder"):
        await network.projects.record_answer(BRUNO, project.id, 0, "need", Answer.MET)
    refused = [(e.action, e.allowed) for e in await network.audit.for_user(BRUNO)]
    assert refused == [("projects_edit", False), ("projects_answer", False)]


async def test_without_users_step_one_cannot_pass(network: Services) -> None:
    project = await proposed(network)
    with pytest.raises(ProjectError, match="users_mandatory"):
        await network.projects.record_answer(HOLDER, project.id, 0, "users", Answer.NA)
    await meet_step(network, project, users=Answer.NOT_YET)
    with pytest.raises(ProjectError, match="users_missing"):
        await network.projects.validate(900, project.id, 0)
    await network.projects.record_answer(HOLDER, project.id, 0, "users", Answer.MET)
    await network.projects.record_answer(HOLDER, project.id, 0, "network", Answer.NOT_YET)
    check = await network.projects.check(project)
    assert check is not None and check.open_criteria == ("network",)
    with pytest.raises(ProjectError, match="not_ready"):
        await network.projects.validate(900, project.id, 0)
    await network.projects.record_answer(HOLDER, project.id, 0, "network", Answer.NA)
    moved = await network.projects.validate(900, project.id, 0)
    assert moved.step == 1
    with pytest.raises(ProjectError, match="moved_on"):  # a stale button of step 1
        await network.projects.record_answer(HOLDER, project.id, 0, "need", Answer.MET)
    with pytest.raises(ProjectError, match="moved_on"):
        await network.projects.validate(900, project.id, 0)


async def test_five_validated_steps_make_a_project_done(network: Services) -> None:
    project = await proposed(network)
    for step in range(5):
        await meet_step(network, project)
        project = await network.projects.validate(900, project.id, step)
    assert project.status is ProjectStatus.DONE and network.projects.step_of(project) is None


async def test_comments_go_on_answered_criteria_only(network: Services) -> None:
    project = await proposed(network)
    with pytest.raises(ProjectError, match="moved_on"):
        await network.projects.comment(HOLDER, project.id, 0, "need", "Vu en MFS")
    await network.projects.record_answer(HOLDER, project.id, 0, "need", Answer.MET)
    await network.projects.comment(HOLDER, project.id, 0, "need", "Vu en MFS")
    with pytest.raises(ProjectError, match="too_long"):
        await network.projects.comment(HOLDER, project.id, 0, "need", "z" * 501)
    [answer] = await network.projects.answers(project)
    assert (answer.answer, answer.comment) == (Answer.MET, "Vu en MFS")


async def test_joining_respects_the_limit(network: Services) -> None:
    project = await proposed(network)
    team = network.projects.team
    with pytest.raises(ProjectError, match="bad_limit"):
        await team.set_limit(HOLDER, project.id, "beaucoup")
    await team.set_limit(HOLDER, project.id, "1")
    joined = await team.join(BRUNO, project.id)
    assert joined.contributors == 1
    with pytest.raises(ProjectError, match="already_in"):
        await team.join(BRUNO, project.id)
    with pytest.raises(ProjectError, match="full"):
        await team.join(CHLOE, project.id)
    with pytest.raises(ProjectError, match="own_project"):
        await team.join(HOLDER, project.id)
    assert [(e.action, e.allowed) for e in await network.audit.for_user(CHLOE)] == [
        ("projects_join", False)
    ]
    await team.set_limit(HOLDER, project.id, "0")  # no limit any more
    await team.join(CHLOE, project.id)
    with pytest.raises(ProjectError, match="limit_below"):
        await team.set_limit(HOLDER, project.id, "1")
    assert {p.id for p in await network.projects.mine(BRUNO)} == {project.id}
    await team.leave(BRUNO, project.id)
    assert await network.projects.mine(BRUNO) == []


async def test_milestones_are_reminded_two_days_before(
    network: Services, clock: FrozenClock
) -> None:
    project = await proposed(network)
    team = network.projects.team
    with pytest.raises(ProjectError, match="past_date"):
        await team.add_note(HOLDER, project.id, "Hier", clock.now() - timedelta(hours=1))
    note = await team.add_note(HOLDER, project.id, "Atelier", clock.now() + timedelta(days=10))
    await team.add_note(HOLDER, project.id, "Point d’étape")
    assert [n.text for n in await team.notes(project.id)] == ["Point d’étape", "Atelier"]
    assert await team.due_reminders() == [(note.id, clock.now() + timedelta(days=8))]
    assert await team.reminded(note.id) and not await team.reminded(note.id)
    assert await team.due_reminders() == []
