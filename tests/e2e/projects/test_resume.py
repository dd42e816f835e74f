"""A proposal after a crash: the typed answer goes to what the database awaits.

A bot killed mid-answer may have written the answer (and the next pending input) without
the conversation state or the reply following (found by tests/e2e/test_crash_resume_features
.py). Here the killed bot's writes are made through the services, then the member goes on.
"""

from __future__ import annotations

from bot.domain.projects import ProjectStatus
from bot.sandbox import SimUser
from tests.e2e.conftest import Network
from tests.e2e.projects.helpers import AUDIENCE, NEEDS, PROBLEM, answer

TITLE = "Accueil numérique"


async def _asked_title(network: Network, name: str) -> SimUser:
    user = await network.member(name)
    await answer(user, "/projets", "Projets stratégiques")
    await user.tap("💡 Proposer un projet")
    await user.expect("Quel est le titre")
    return user


async def test_the_title_typed_again_after_a_crash_makes_one_draft(network: Network) -> None:
    bruno = await _asked_title(network, "Bruno")
    projects = network.services.projects
    await projects.start(bruno.user_id, TITLE)  # stored, then killed before the question
    await answer(bruno, TITLE, "Quel problème")
    await answer(bruno, PROBLEM, "Pour qui ?")
    await answer(bruno, AUDIENCE, "De quoi avez-vous besoin")
    await answer(bruno, NEEDS, "est proposé")
    [project] = await projects.mine(bruno.user_id)
    assert (project.title, project.needs, project.status) == (TITLE, NEEDS, ProjectStatus.ACTIVE)


async def test_an_answer_goes_where_the_database_waits_not_the_state(network: Network) -> None:
    bruno = await _asked_title(network, "Bruno")
    projects = network.services.projects
    await answer(bruno, TITLE, "Quel problème")
    [draft] = await projects.mine(bruno.user_id)
    # Killed after storing the problem and awaiting the audience, the state still "problem":
    await projects.fill(bruno.user_id, draft.id, "problem", PROBLEM)
    await projects.expect_input(bruno.user_id, "audience", draft.id)
    await answer(bruno, PROBLEM, "Pour qui ?")  # typed again: the audience is asked again
    await answer(bruno, AUDIENCE, "De quoi avez-vous besoin")  # answered where it is awaited
    # Killed after the needs made it active and the input was done, the state still "needs":
    await projects.fill(bruno.user_id, draft.id, "needs", NEEDS)
    await projects.input_done(bruno.user_id)
    done = await answer(bruno, NEEDS, "est proposé")  # said again, not "no longer awaited"
    assert "Critères" in str(done["buttons"])
    [project] = await projects.mine(bruno.user_id)
    assert (project.problem, project.audience, project.needs) == (PROBLEM, AUDIENCE, NEEDS)
    assert project.status is ProjectStatus.ACTIVE
    await answer(bruno, "Autre chose", "Je n’ai pas compris")  # the proposal is over
