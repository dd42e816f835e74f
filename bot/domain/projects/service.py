"""Strategic projects as one service: proposing, the checklist, reviews, and personal data."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from bot.domain.diagnostic.service import Diagnostics
from bot.domain.projects.checklist import Checklist, Step
from bot.domain.projects.impact import Impact
from bot.domain.projects.model import (
    FIELDS,
    Answer,
    CriterionAnswer,
    Project,
    ProjectError,
    ProjectStatus,
)
from bot.domain.projects.portfolio import Portfolio, build_portfolio
from bot.domain.projects.rules import StepCheck, check_step, clean_comment, clean_field
from bot.domain.projects.team import Team
from bot.storage.audit import AuditStore
from bot.storage.db import Database
from bot.storage.pending_inputs import InputStore, PendingInput
from bot.storage.projects import ContributorStore, NoteStore, ProjectStore


class ProjectService:
    """Projects members carry through the network's checklist; ``team``: who joins, notes.

    Also a personal data source: projects held, answers, contributions and notes.
    """

    name = "projects"

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditStore,
        checklist: Checklist,
        diagnostics: Diagnostics,
    ) -> None:
        self.checklist = checklist
        self.store = ProjectStore(db)
        self._inputs = InputStore(db, "project_inputs")
        self._audit = audit
        self._clock = clock
        self.team = Team(self, ContributorStore(db), NoteStore(db), clock)
        self.impact = Impact(diagnostics, self.store, clock)

    async def refuse(self, user_id: int, action: str, project_id: int, code: str) -> None:
        """Audit a refused action on a project and raise its ProjectError."""
        await self._audit.record(
            self._clock.now(), user_id, f"projects_{action}", False, f"project:{project_id}"
        )
        raise ProjectError(code)

    async def get(self, project_id: int) -> Project | None:
        """One project (withdrawn ones read as gone)."""
        project = await self.store.get(project_id)
        return None if project is None or project.status is ProjectStatus.WITHDRAWN else project

    async def held(self, user_id: int, project_id: int, action: str) -> Project:
        """The project if ``user_id`` holds it; an audited refusal otherwise."""
        project = await self.get(project_id)
        if project is None:
            raise ProjectError("gone")
        if project.holder_id != user_id:
            await self.refuse(user_id, action, project_id, "not_holder")
        return project

    async def start(
        self, holder_id: int, title: str | None, idea: tuple[int, str] | None = None
    ) -> Project:
        """A member proposes a project: its title first (a draft until every field is typed).

        The same title typed again while its problem is awaited (its reply lost in a crash)
        is the same draft, not a second one.
        """
        value = clean_field("title", title)
        last = await self.last_held(holder_id)
        if (
            last
            and last.status is ProjectStatus.DRAFT
            and (last.title, last.problem) == (value, "")
        ):
            return last
        project_id = await self.store.add(holder_id, value, self._clock.now(), idea)
        project = await self.store.get(project_id)
        assert project is not None
        return project

    async def last_held(self, user_id: int) -> Project | None:
        """The project the member proposed last, if any."""
        held = await self.store.held_by(user_id)
        return await self.get(max(held)) if held else None

    async def fill(self, user_id: int, project_id: int, field: str, text: str | None) -> Project:
        """The holder types one field; the last one of a draft makes the project active."""
        project = await self.held(user_id, project_id, "edit")
        value = clean_field(field, text)
        now = self._clock.now()
        await self.store.set_field(project_id, field, value, now)
        if project.status is ProjectStatus.DRAFT and field == FIELDS[-1]:
            await self.store.update(project_id, now, status=ProjectStatus.ACTIVE.value)
        updated = await self.store.get(project_id)
        assert updated is not None
        return updated

    async def mine(self, user_id: int) -> list[Project]:
        """The projects a member holds or contributes to."""
        return await self.store.of_member(user_id)

    async def carried(self) -> list[Project]:
        """Every active or finished project (the animators' portfolio)."""
        return await self.store.carried()

    async def portfolio(self, language: str) -> Portfolio:
        """The animators' portfolio of carried projects, as of now."""
        names = await self.store.holder_names()
        projects = await self.store.carried()
        return build_portfolio(projects, names, self.checklist, language, self._clock.now())

    def step_of(self, project: Project) -> Step | None:
        """The step the project is at, None once it went through them all."""
        return self.checklist.step(project.step)

    async def answers(self, project: Project) -> list[CriterionAnswer]:
        """The holder's answers to the project's current step."""
        return await self.store.answers(project.id, project.step)

    async def _current(self, user_id: int, project_id: int, step: int, action: str) -> Step:
        """The project's current step if it is ``step`` and ``user_id`` holds the project."""
        project = await self.held(user_id, project_id, action)
        current = self.step_of(project)
        if not project.is_open or current is None or project.step != step:
            raise ProjectError("moved_on")
        return current

    async def record_answer(
        self, user_id: int, project_id: int, step: int, criterion: str, answer: Answer
    ) -> None:
        """The holder answers a criterion of the step the project is at."""
        current = await self._current(user_id, project_id, step, "answer")
        found = current.criterion(criterion)
        if found is None:
            raise ProjectError("moved_on")
        if found.users and answer is Answer.NA:
            raise ProjectError("users_mandatory")
        await self.store.answer(project_id, step, criterion, answer, self._clock.now())

    async def comment(
        self, user_id: int, project_id: int, step: int, criterion: str, text: str | None
    ) -> None:
        """The holder's comment on an answered criterion."""
        await self._current(user_id, project_id, step, "answer")
        if not await self.store.comment(project_id, step, criterion, clean_comment(text)):
            raise ProjectError("moved_on")

    async def check(self, project: Project) -> StepCheck | None:
        """Whether the project's current step can be validated (None past the last one)."""
        current = self.step_of(project)
        return None if current is None else check_step(current, await self.answers(project))

    async def validate(self, reviewer_id: int, project_id: int, step: int) -> Project:
        """An animator validates the step: the project moves on (done after the last one)."""
        project = await self.get(project_id)
        if project is None:
            raise ProjectError("gone")
        if not project.is_open or project.step != step:
            raise ProjectError("moved_on")
        verdict = await self.check(project)
        assert verdict is not None
        now = self._clock.now()
        if not verdict.ready:
            await self.store.review(project_id, step, reviewer_id, False, now)
            raise ProjectError("users_missing" if verdict.users_missing else "not_ready")
        await self.store.review(project_id, step, reviewer_id, True, now)
        last = step + 1 >= len(self.checklist.steps)
        status = ProjectStatus.DONE if last else ProjectStatus.ACTIVE
        await self.store.update(project_id, now, step=step + 1, status=status.value)
        moved = await self.store.get(project_id)
        assert moved is not None
        return moved

    async def expect_input(
        self, user_id: int, kind: str, ref: int | None = None, draft: str | None = None
    ) -> None:
        """Remember what the member's next message answers (``draft``: what it is about)."""
        await self._inputs.set(user_id, PendingInput(kind, ref, draft), self._clock.now())

    async def pending_input(self, user_id: int) -> PendingInput | None:
        """What the member's next message answers, if anything."""
        return await self._inputs.get(user_id)

    async def input_done(self, user_id: int) -> None:
        """The member's pending input was answered or abandoned."""
        await self._inputs.clear(user_id)

    async def export_personal_data(self, user_id: int) -> dict[str, Any]:
        """Projects the member holds (with their answers), joined, and the notes they wrote."""
        held = []
        for project_id in await self.store.held_by(user_id):
            project = await self.store.get(project_id)
            assert project is not None
            held.append(
                {
                    "id": project.id,
                    "title": project.title,
                    "problem": project.problem,
                    "audience": project.audience,
                    "needs": project.needs,
                    "status": project.status.value,
                    "step": project.step,
                    "answers": await self.store.all_answers(project_id),
                }
            )
        return {"held": held, **await self.team.export_personal_data(user_id)}

    async def erase_personal_data(self, user_id: int) -> None:
        """Withdraw the member's projects (their texts go), leave the others, drop notes."""
        await self.store.withdraw_holder(user_id, self._clock.now())
        await self.team.erase_personal_data(user_id)
        await self._inputs.clear(user_id)
