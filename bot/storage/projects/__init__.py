"""SQL of strategic projects: projects and checklist answers, contributors, notes, inputs."""

from bot.storage.projects.people import ContributorStore, NoteStore
from bot.storage.projects.projects import ProjectStore

__all__ = ["ContributorStore", "NoteStore", "ProjectStore"]
