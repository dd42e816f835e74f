"""Phase 1 → 2 → 3: ideas from the diagnosis' weakest themes, the impact wave, its report."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FrozenClock
from bot.domain.diagnostic.answering import Move
from bot.domain.diagnostic.model import Campaign, CampaignRequest
from bot.domain.diagnostic.questionnaire import QuestionKind
from bot.sandbox import SimUser
from bot.services import Services
from tests.e2e.conftest import Network
from tests.e2e.projects.helpers import AUDIENCE, NEEDS, PROBLEM, answer


async def respond(services: Services, campaign: Campaign, user_id: int, cooperation: int) -> None:
    """A member answers every Likert question 3/5, the cooperation ones ``cooperation``/5."""
    answering = services.diagnostics.answering
    await answering.begin(campaign.id, user_id)
    for position, question in enumerate(campaign.questionnaire.questions):
        if question.kind is QuestionKind.LIKERT:
            score = cooperation if question.theme == "cooperation" else 3
            await answering.choose(campaign.id, user_id, position, score - 1)
        else:
            await answering.move(campaign.id, user_id, position, Move.SKIP)


async def run_wave(
    network: Network, clock: FrozenClock, campaign: Campaign, people: list[int], score: int
) -> None:
    """Open the campaign, everyone answers, it closes."""
    services = network.services
    await network.run_due()
    for user_id in people:
        await respond(services, campaign, user_id, score)
    clock.advance(timedelta(days=15))
    await network.run_due()
    closed = await services.diagnostics.campaigns.get(campaign.id)
    assert closed.status.value == "closed"


async def first_wave(
    network: Network, clock: FrozenClock, anne: SimUser, people: list[int]
) -> Campaign:
    """The network diagnosis to everyone, answered (cooperation 2/5, the rest 3/5), closed."""
    now = clock.now()
    request = CampaignRequest(
        "network_diagnosis", now, now + timedelta(days=14), threshold=3, created_by=anne.user_id
    )
    first = await network.services.diagnostics.campaigns.create(request)
    await answer(anne, "/projets", "Projets stratégiques")
    await anne.tap("🧭 Idées du diagnostic")
    await anne.expect("Aucun diagnostic clos")
    await run_wave(network, clock, first, people, 2)
    return first


async def propose_on_the_weakest_theme(anne: SimUser) -> None:
    """The animator opens the ideas (weakest theme first) and proposes a project on it."""
    await answer(anne, "/projets", "Projets stratégiques")
    await anne.tap("🧭 Idées du diagnostic")
    ideas = (await anne.expect("Idées de projets"))["text"]
    assert ideas.index("Collaboration et coopération : 2,0 / 5") < ideas.index("3,0 / 5")
    await anne.tap("💡 Un projet sur « Collaboration et coopération »")
    await anne.expect("Un projet pour progresser sur « Collaboration et coopération »")
    await answer(anne, "Binômes entre maisons", "Quel problème")
    await answer(anne, PROBLEM, "Pour qui ?")
    await answer(anne, AUDIENCE, "De quoi avez-vous besoin")
    await answer(anne, NEEDS, "est proposé")


async def test_ideas_then_the_impact_wave_compared_with_the_projects(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    services = network.services
    anne = await network.animator()
    members = [await network.member(name) for name in ("Alice", "Bruno", "Chloé")]
    people = [anne.user_id, *(m.user_id for m in members)]
    first = await first_wave(network, clock, anne, people)
    await propose_on_the_weakest_theme(anne)
    [seeded] = await services.projects.mine(anne.user_id)
    assert (seeded.idea_campaign, seeded.idea_theme) == (first.id, "cooperation")
    other = await services.projects.start(members[0].user_id, "Carte des services")
    for field in ("problem", "audience", "needs"):
        await services.projects.fill(members[0].user_id, other.id, field, "Un texte")

    await answer(anne, "/projets", "Projets stratégiques")
    await anne.tap("🧭 Idées du diagnostic")
    await anne.expect("Idées de projets")
    await anne.tap("🔁 Vague d’impact")
    await anne.expect("relancer « Diagnostic du fonctionnement du réseau » (vague 2)")
    await anne.tap("✅ Lancer la vague")
    started = await anne.expect("Vague 2 de « Diagnostic du fonctionnement du réseau » lancée")
    await network.run_due()
    for member in members:
        await member.expect("Diagnostic du fonctionnement du réseau")
    page = started["message_id"]  # Anne, in the audience, got an invitation since
    await anne.tap("🔁 Vague d’impact", message_id=page)
    await anne.expect("La vague 2 de « Diagnostic du fonctionnement du réseau » est déjà lancée")
    await anne.tap_data(f"pj_wave:1:{first.id}", message_id=page)  # a second launch
    await anne.expect("La vague d’impact de ce diagnostic est déjà lancée")
    [second] = [c for c in await services.diagnostics.campaigns.recent() if c.previous_id]
    assert (second.previous_id, second.wave, second.segment) == (first.id, 2, first.segment)
    await anne.tap("📈 Impact", message_id=page)
    await anne.expect("Pas encore de vague d’impact close")
    for user_id in people:
        await respond(services, second, user_id, 4)
    clock.advance(timedelta(days=15))
    await network.run_due()

    await answer(anne, "/projets", "Projets stratégiques")
    await anne.tap("🧭 Idées du diagnostic")
    await anne.expect("Idées de projets")
    await anne.tap("📈 Impact")
    report = (await anne.expect("vague 1 → vague 2"))["text"]
    cooperation = report.index("Collaboration et coopération : 2,0 → 4,0 (+2,0)")
    assert report.index("📌 Binômes entre maisons · Étape 1/5", cooperation) > cooperation
    assert "Raison d’être et missions : 3,0 → 3,0 (+0,0)" in report
    assert "Autre projet porté entre les deux vagues : 1" in report
    assert "📌 Carte des services" in report
    await answer(anne, "/diagnostic", "Campagnes de questionnaires")
    await anne.tap(f"📋 n° {second.id} · Diagnostic du fonctionnement du réseau")
    await anne.expect("Participation")
    await anne.tap("📊 Résultats")
    await anne.expect("2 projets stratégiques portés entre ces deux vagues")


async def test_members_are_refused_ideas_and_the_wave(network: Network) -> None:
    anne = await network.animator()
    await answer(anne, "/projets", "Projets stratégiques")
    for data in ("pj_idea:1:999:cooperation", "pj_wave:1:999", "pj_menu:1:nothing"):
        await anne.tap_data(data)
        await anne.expect("Ce bouton a expiré.")
    bruno = await network.member("Bruno")
    await answer(bruno, "/projets", "Projets stratégiques")
    for data in ("pj_menu:1:ideas", "pj_menu:1:report", "pj_wave:1:1", "pj_idea:1:1:cooperation"):
        await bruno.tap_data(data)
        toast = await bruno.expect("réservée à l’équipe d’animation")
        assert toast["show_alert"]
    audited = [(e.action, e.allowed) for e in await network.services.audit.for_user(bruno.user_id)]
    assert audited == [
        ("projects_impact", False),
        ("projects_impact", False),
        ("projects_wave", False),
        ("projects_idea", False),
    ]
    assert await network.services.diagnostics.campaigns.recent() == []
