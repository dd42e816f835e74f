"""The animators' portfolio through the sandbox: counts by step, stalled, CSV, xlsx, funnel."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook

from bot.clock import FrozenClock
from bot.config import Settings
from bot.domain.projects import Answer
from bot.sandbox import Sandbox
from bot.services import Services
from tests.e2e.conftest import Network
from tests.e2e.projects.helpers import answer


async def carried(services: Services, holder: int, title: str, steps: int) -> int:
    """A project proposed by ``holder`` and validated through ``steps`` steps."""
    projects = services.projects
    project = await projects.start(holder, title)
    for field in ("problem", "audience", "needs"):
        await projects.fill(holder, project.id, field, f"{field} de {title}")
    for step in range(steps):
        for criterion in projects.checklist.steps[step].criteria:
            await projects.record_answer(holder, project.id, step, criterion.id, Answer.MET)
        await projects.validate(900, project.id, step)
    return project.id


async def test_the_portfolio_counts_exports_and_draws_the_funnel(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    services = network.services
    anne = await network.animator()
    alice = await network.member("Alice")
    bruno = await network.member("Bruno")
    quiet = await carried(services, alice.user_id, "=Projet en sommeil", 0)
    clock.advance(timedelta(weeks=7))
    await carried(services, alice.user_id, "Accueil numérique", 2)
    await carried(services, bruno.user_id, "Données ouvertes", 5)
    await services.projects.team.join(bruno.user_id, quiet)
    draft = await services.projects.start(bruno.user_id, "Brouillon")
    assert draft.id  # drafts stay out of the portfolio

    await answer(anne, "/projets", "Projets stratégiques")
    await anne.tap("📊 Portefeuille")
    page = await anne.expect("Portefeuille des projets")
    text = page["text"]
    assert "3 projets portés, 1 contributeur·rice au total." in text
    assert "• Étape 1 – Problème et usagers : 1" in text
    assert "• Étape 3 – Ressources : 1" in text
    assert "• Terminés : 1" in text
    assert "1 projet sans nouvelles depuis 6 semaines" in text
    assert "⏸ =Projet en sommeil (Alice)" in text

    await anne.tap("📄 CSV")
    csv_file = await anne.expect_document()
    assert csv_file.filename == "portefeuille-projets.csv"
    assert csv_file.data.startswith(b"\xef\xbb\xbf")
    lines = csv_file.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("N°;Projet;Porté par;Étape n°;Étape")
    assert any(";'=Projet en sommeil;Alice;1;Problème et usagers;1;" in line for line in lines)
    assert any(";Données ouvertes;Bruno;;Terminés;0;" in line for line in lines)
    await anne.tap("📊 Excel")
    workbook = await anne.expect_document()
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert table[0][:3] == ["N°", "Projet", "Porté par"] and len(table) == 4
    await anne.tap("📉 Entonnoir")
    funnel = await anne.expect_photo()
    assert funnel.data.startswith(b"\x89PNG")


async def test_members_are_refused_the_portfolio_and_its_exports(network: Network) -> None:
    await network.animator()
    bruno = await network.member("Bruno")
    await answer(bruno, "/projets", "Projets stratégiques")
    assert not any("📊 Portefeuille" in row for row in bruno.buttons())
    for data in ("pj_menu:1:portfolio", "pj_export:1:csv", "pj_export:1:png"):
        await bruno.tap_data(data)
        toast = await bruno.expect("réservée à l’équipe d’animation")
        assert toast["show_alert"]
    await bruno.expect_nothing()
    audited = [(e.action, e.allowed) for e in await network.services.audit.for_user(bruno.user_id)]
    assert audited == [
        ("projects_portfolio", False),
        ("projects_export", False),
        ("projects_export", False),
    ]


async def test_a_bad_network_checklist_is_reported_to_animators(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "projects.toml").write_text('id = "x"\n', "utf-8")
    configured = replace(settings, api_url=sandbox.api_url, db_path=tmp_path / "e2e.db")
    network = Network(sandbox, configured)
    await network.start()
    try:
        anne = await network.animator()
        await answer(anne, "/projets", "Projets stratégiques")
        await anne.tap("📊 Portefeuille")
        page = await anne.expect("Portefeuille des projets")
        assert "checklists/projects.toml du réseau n’a pas pu être lu" in page["text"]
        assert "• Étape 5 – Évaluation : 0" in page["text"]  # the shipped steps
        assert "0 projet porté, 0 contributeur·rice au total." in page["text"]
        assert "Aucun projet sans nouvelles depuis 6 semaines." in page["text"]
    finally:
        await network.stop()
