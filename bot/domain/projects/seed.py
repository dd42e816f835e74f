"""Two demo projects at different steps (``maillage demo``): one past step 1, one held back."""

from __future__ import annotations

from bot.domain.projects.model import Answer
from bot.domain.projects.service import ProjectService

DEMO_PROJECTS = (
    (
        "Permanences numériques itinérantes",
        "Les habitants des villages éloignés renoncent aux démarches en ligne.",
        "Les habitants sans voiture ni connexion, associés par les mairies.",
        "Un véhicule, deux agents volontaires par semaine.",
    ),
    (
        "Annuaire partagé des partenaires",
        "Chaque maison tient sa propre liste de contacts, jamais à jour.",
        "Les agents d’accueil du réseau.",
        "Un tableur partagé et une heure par mois pour le tenir.",
    ),
)


async def seed_demo_projects(
    projects: ProjectService, holders: tuple[int, int], contributor: int, animator: int
) -> None:
    """Two projects: the first past step 1, the second held back at step 1.

    The first has a contributor and news; the second's users criterion is not met yet, so
    validating it shows why a project without users cannot pass.
    """
    if await projects.carried():
        return
    created = []
    for holder, (title, problem, audience, needs) in zip(holders, DEMO_PROJECTS, strict=True):
        project = await projects.start(holder, title)
        await projects.fill(holder, project.id, "problem", problem)
        await projects.fill(holder, project.id, "audience", audience)
        created.append(await projects.fill(holder, project.id, "needs", needs))
    first, second = created
    step = projects.checklist.steps[0]
    for criterion in step.criteria:
        await projects.record_answer(first.holder_id or 0, first.id, 0, criterion.id, Answer.MET)
        users = Answer.NOT_YET if criterion.users else Answer.MET
        await projects.record_answer(second.holder_id or 0, second.id, 0, criterion.id, users)
    await projects.validate(animator, first.id, 0)
    await projects.team.join(contributor, first.id)
    await projects.team.add_note(
        first.holder_id or 0, first.id, "Premier trajet testé à Luc-en-Diois."
    )
