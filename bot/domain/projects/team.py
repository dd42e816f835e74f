"""Who carries a project with its holder: contributors (a size limit), notes and milestones."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.clock import Clock
from bot.domain.projects.model import MAX_CONTRIBUTORS, MAX_NOTE, Note, Project, ProjectError
from bot.domain.projects.rules import clean
from bot.storage.projects import ContributorStore, NoteStore, ProjectStore

REMIND_BEFORE = timedelta(days=2)
"""How long before a milestone its reminder goes to the holder and the contributors."""


class Projects(Protocol):
    """What the team needs of the project service."""

    store: ProjectStore

    async def get(self, project_id: int) -> Project | None:
        """One project, None if gone."""
        ...

    async def held(self, user_id: int, project_id: int, action: str) -> Project:
        """The project if ``user_id`` holds it."""
        ...

    async def refuse(self, user_id: int, action: str, project_id: int, code: str) -> None:
        """Audit a refusal and raise it."""
        ...


class Team:
    """Joining and leaving a project, its size limit, progress notes and milestones."""

    def __init__(
        self, projects: Projects, people: ContributorStore, notes: NoteStore, clock: Clock
    ) -> None:
        self._projects = projects
        self._people = people
        self._notes = notes
        self._clock = clock

    async def _open(self, project_id: int) -> Project:
        project = await self._projects.get(project_id)
        if project is None:
            raise ProjectError("gone")
        if not project.is_open:
            raise ProjectError("moved_on")
        return project

    async def join(self, user_id: int, project_id: int) -> Project:
        """A member joins a project as a contributor (refused, audited, when it is full)."""
        project = await self._open(project_id)
        if project.holder_id == user_id:
            raise ProjectError("own_project")
        if user_id in await self._people.of(project_id):
            raise ProjectError("already_in")
        limit = project.max_contributors
        if not await self._people.join(project_id, user_id, limit, self._clock.now()):
            await self._projects.refuse(user_id, "join", project_id, "full")
        joined = await self._projects.get(project_id)
        assert joined is not None
        return joined

    async def leave(self, user_id: int, project_id: int) -> None:
        """A contributor leaves."""
        if not await self._people.leave(project_id, user_id):
            raise ProjectError("not_in")

    async def contributors(self, project_id: int) -> list[int]:
        """The contributors' ids."""
        return await self._people.of(project_id)

    async def set_limit(self, user_id: int, project_id: int, text: str | None) -> Project:
        """The holder sets how many contributors may join (``0``: no limit)."""
        project = await self._projects.held(user_id, project_id, "limit")
        value = (text or "").strip()
        if not value.isdigit() or int(value) > MAX_CONTRIBUTORS:
            raise ProjectError("bad_limit", limit=MAX_CONTRIBUTORS)
        number = int(value) or None
        if number is not None and number < project.contributors:
            raise ProjectError("limit_below", number=project.contributors)
        await self._projects.store.update(project_id, self._clock.now(), max_contributors=number)
        updated = await self._projects.get(project_id)
        assert updated is not None
        return updated

    async def add_note(
        self, user_id: int, project_id: int, text: str | None, due: datetime | None = None
    ) -> Note:
        """The holder posts a progress note, or a milestone when ``due`` is given."""
        await self._projects.held(user_id, project_id, "note")
        await self._open(project_id)
        value = clean(text, MAX_NOTE)
        now = self._clock.now()
        if due is not None and due <= now:
            raise ProjectError("past_date")
        when = (due, max(now, due - REMIND_BEFORE)) if due is not None else None
        note = await self._notes.get(await self._notes.add(project_id, user_id, value, now, when))
        assert note is not None
        return note

    async def notes(self, project_id: int) -> list[Note]:
        """The latest notes and milestones of a project."""
        return await self._notes.of(project_id)

    async def note(self, note_id: int) -> Note | None:
        """One note."""
        return await self._notes.get(note_id)

    async def due_reminders(self) -> list[tuple[int, datetime]]:
        """Milestone reminders still to send, with when each is due."""
        return await self._notes.due_reminders()

    async def reminded(self, note_id: int) -> bool:
        """Mark a milestone's reminder sent; False if it already was."""
        return await self._notes.mark_reminded(note_id, self._clock.now())

    async def export_personal_data(self, user_id: int) -> dict[str, Any]:
        """The projects the member joined and the notes they wrote."""
        return {
            "joined": await self._people.joined_by(user_id),
            "notes": await self._notes.written_by(user_id),
        }

    async def erase_personal_data(self, user_id: int) -> None:
        """The member leaves every project; their notes go."""
        await self._people.erase(user_id)
        await self._notes.erase(user_id)
