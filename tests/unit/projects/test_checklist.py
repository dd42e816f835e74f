"""The project checklist as data: the shipped file, a network's own file, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.diagnostic.questionnaire import QuestionnaireError
from bot.domain.projects.checklist import BUILTIN_FILE, load_checklist, parse_checklist
from bot.domain.projects.seed import seed_demo_projects
from bot.services import Services

OWN = """
id = "maison"
title = { fr = "Nos étapes", en = "Our steps" }
[[steps]]
id = "besoin"
title = { fr = "Besoin", en = "Need" }
[[steps.criteria]]
id = "usagers"
users = true
text = { fr = "Des usagers sont associés.", en = "Users are involved." }
[[steps]]
id = "test"
title = { fr = "Test", en = "Test" }
[[steps.criteria]]
id = "essai"
text = { fr = "Un essai a eu lieu.", en = "A trial took place." }
"""


def test_the_shipped_checklist_has_five_steps_and_the_user_dimension_first() -> None:
    checklist = parse_checklist(BUILTIN_FILE.read_text("utf-8"), "projects.toml")
    assert [s.id for s in checklist.steps] == [
        "problem",
        "stakeholders",
        "resources",
        "prototype",
        "evaluation",
    ]
    first = checklist.steps[0]
    assert [c.id for c in first.criteria if c.users] == ["users"]
    assert first.title("en") == "Problem and users"
    assert checklist.step(5) is None


def test_a_network_file_next_to_the_database_wins(tmp_path: Path) -> None:
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "projects.toml").write_text(OWN, "utf-8")
    checklist = load_checklist(tmp_path / "maillage.db")
    assert checklist.id == "maison" and len(checklist.steps) == 2
    assert checklist.problem is None


def test_a_bad_network_file_is_reported_and_the_shipped_one_used(tmp_path: Path) -> None:
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "projects.toml").write_text(
        OWN.replace("users = true\n", ""), "utf-8"
    )
    checklist = load_checklist(tmp_path / "maillage.db")
    assert checklist.id == "incubation"
    assert checklist.problem is not None and "users = true" in checklist.problem


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('id = "maison"', 'id = "Maison!"'), "lower-case"),
        (('en = "Need"', 'de = "Bedarf"'), "no en text"),
        (('id = "essai"', 'id = "essai"\nusers = true'), "only the first step"),
        (('[[steps]]\nid = "test"', '[[steps]]\nid = "besoin"'), "used twice"),
        (('title = { fr = "Nos', 'title = { fr = "Nos'), None),
    ],
)
def test_bad_checklists_name_the_problem(change: tuple[str, str], problem: str | None) -> None:
    source = OWN.replace(*change)
    if problem is None:
        assert parse_checklist(source, "x.toml").id == "maison"
        return
    with pytest.raises(QuestionnaireError, match=problem):
        parse_checklist(source, "x.toml")


async def test_the_demo_seeds_two_projects_at_two_steps_once(network: Services) -> None:
    await seed_demo_projects(network.projects, (1, 2), 3, 900)
    await seed_demo_projects(network.projects, (1, 2), 3, 900)  # idempotent
    first, second = sorted(await network.projects.carried(), key=lambda p: p.id)
    assert (first.step, first.contributors, second.step) == (1, 1, 0)
    check = await network.projects.check(second)
    assert check is not None and check.users_missing
