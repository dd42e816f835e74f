"""What a project looks like in a message: its card, its checklist, lists of projects."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.members import Member, Role
from bot.domain.projects import Answer, CriterionAnswer, Note, Project, ProjectService
from bot.domain.projects.model import ProjectStatus
from bot.domain.projects.rules import StepCheck
from bot.i18n import Translator
from conversations.common import Button
from schedules.projects.buttons import ACTION, ANSWER, CHECKLIST, JOIN, MENU, VALIDATE, VIEW

Rows = list[list[Button]]
MARKS = {Answer.MET: "✅", Answer.NOT_YET: "⏳", Answer.NA: "∅"}
CODES = {Answer.MET: "m", Answer.NOT_YET: "n", Answer.NA: "x"}


CARD_FIELD = 700
NOTE_SHOWN = 150
NOTES_SHOWN = 3
"""A card (and a checklist) stays under Telegram's 4,096 characters with every field full."""


def short(text: str, limit: int) -> str:
    """``text`` cut at ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def lines(*parts: str) -> str:
    """Non-empty parts, one per line."""
    return "\n".join(str(p) for p in parts if p)


def step_line(t: Translator, projects: ProjectService, project: Project) -> str:
    """Where the project stands: draft, step n of N, or every step validated."""
    total = len(projects.checklist.steps)
    if project.status is ProjectStatus.DRAFT:
        return str(t("projects.card.draft"))
    step = projects.step_of(project)
    if step is None:
        return str(t("projects.card.done", total=total))
    return str(
        t("projects.card.step", number=project.step + 1, total=total, step=step.title(t.language))
    )


def card_text(
    t: Translator,
    projects: ProjectService,
    project: Project,
    holder: str | None,
    notes: Sequence[Note],
) -> str:
    """A project's card: what it is for, where it stands, who carries it, its news."""
    limit = project.max_contributors
    team = (
        t("projects.card.team_limit", count=project.contributors, limit=limit)
        if limit
        else t("projects.card.team", count=project.contributors)
    )
    news = [
        t("projects.card.milestone", when=t.datetime(n.due_at), text=short(n.text, NOTE_SHOWN))
        if n.due_at
        else t("projects.card.note", when=t.datetime(n.created_at), text=short(n.text, NOTE_SHOWN))
        for n in notes[:NOTES_SHOWN]
    ]
    return lines(
        t("projects.card.title", title=project.title),
        step_line(t, projects, project),
        t("projects.card.problem", text=short(project.problem, CARD_FIELD)),
        t("projects.card.audience", text=short(project.audience, CARD_FIELD)),
        t("projects.card.needs", text=short(project.needs, CARD_FIELD)),
        t("projects.card.holder", name=holder or t("projects.card.no_holder")),
        str(team),
        t("projects.card.news") if news else "",
        *news,
    )


def card_rows(t: Translator, project: Project, viewer: Member, joined: bool) -> Rows:
    """The buttons a viewer gets on a card: the holder's, a member's, an animator's."""
    pid = project.id
    rows: Rows = []
    if project.holder_id == viewer.user_id and project.is_open:
        rows.append([(t("projects.button.checklist"), CHECKLIST.pack(project=pid))])
        rows.append(
            [
                (t("projects.button.note"), ACTION.pack(project=pid, action="note")),
                (t("projects.button.milestone"), ACTION.pack(project=pid, action="milestone")),
                (t("projects.button.limit"), ACTION.pack(project=pid, action="limit")),
            ]
        )
    elif project.is_open:
        label, value = ("projects.button.leave", 0) if joined else ("projects.button.join", 1)
        rows.append([(t(label), JOIN.pack(project=pid, join=value))])
    if viewer.has_role(Role.ANIMATOR) and project.is_open:
        rows.append(
            [
                (t("projects.button.review"), CHECKLIST.pack(project=pid)),
                (
                    t("projects.button.validate", number=project.step + 1),
                    VALIDATE.pack(project=pid, step=project.step),
                ),
            ]
        )
    rows.append([(t("projects.button.home"), MENU.pack(item="home"))])
    return rows


def checklist_text(
    t: Translator,
    projects: ProjectService,
    project: Project,
    answers: Sequence[CriterionAnswer],
    check: StepCheck,
) -> str:
    """The current step's criteria with the holder's answers and what is still missing."""
    step = projects.step_of(project)
    assert step is not None
    given = {a.criterion: a for a in answers}
    items = []
    for number, criterion in enumerate(step.criteria, start=1):
        answer = given.get(criterion.id)
        mark = MARKS[answer.answer] if answer else "▫️"
        key = "projects.checklist.users_item" if criterion.users else "projects.checklist.item"
        items.append(t(key, number=number, mark=mark, text=criterion.text(t.language)))
        if answer and answer.comment:
            items.append(t("projects.checklist.comment", text=short(answer.comment, NOTE_SHOWN)))
    verdict = (
        t("projects.checklist.ready")
        if check.ready
        else t("projects.checklist.users_missing")
        if check.users_missing
        else t("projects.checklist.open", count=len(check.open_criteria))
    )
    return lines(
        t("projects.checklist.title", title=project.title),
        step_line(t, projects, project),
        *items,
        str(verdict),
        t("projects.checklist.legend"),
    )


def checklist_rows(t: Translator, projects: ProjectService, project: Project) -> Rows:
    """One row per criterion: met, not yet, not applicable (never for the users one)."""
    step = projects.step_of(project)
    assert step is not None
    rows: Rows = []
    for number, criterion in enumerate(step.criteria, start=1):
        choices = [Answer.MET, Answer.NOT_YET] + ([] if criterion.users else [Answer.NA])
        rows.append(
            [
                (
                    f"{number}. {MARKS[a]}",
                    ANSWER.pack(
                        project=project.id, step=project.step, criterion=number, answer=CODES[a]
                    ),
                )
                for a in choices
            ]
        )
    rows.append([(t("projects.button.back"), VIEW.pack(project=project.id))])
    return rows


def review_rows(t: Translator, project: Project) -> Rows:
    """An animator's buttons under a checklist: validate the step, back to the card."""
    return [
        [
            (
                t("projects.button.validate", number=project.step + 1),
                VALIDATE.pack(project=project.id, step=project.step),
            )
        ],
        [(t("projects.button.back"), VIEW.pack(project=project.id))],
    ]


def list_rows(projects: Sequence[Project]) -> Rows:
    """One button per project."""
    return [[(f"📌 {p.title}", VIEW.pack(project=p.id))] for p in projects]
