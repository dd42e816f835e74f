"""What a project's people receive through the delivery engine (category ``projects``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram.ext import Application

from bot.delivery import Draft
from bot.delivery.categories import OptOutCategory
from bot.domain.projects import Project
from bot.i18n import Translator
from bot.localized import Rows, localized_content
from bot.services import Services
from schedules.deliveries import dispatch
from schedules.projects.buttons import VIEW


async def people_of(services: Services, project: Project) -> list[int]:
    """The holder and the contributors of a project."""
    contributors = await services.projects.team.contributors(project.id)
    holder = [project.holder_id] if project.holder_id is not None else []
    return [*holder, *contributors]


async def announce(
    application: Application[Any, Any, Any, Any, Any, Any],
    services: Services,
    project: Project,
    key: str,
    exclude: int | None = None,
    when: datetime | None = None,
    **params: Any,
) -> int:
    """Send ``key`` (about ``project``) to its holder and contributors; how many are told."""
    audience = [u for u in await people_of(services, project) if u != exclude]
    if not audience:
        return 0

    def render(t: Translator) -> tuple[list[str], Rows]:
        dated = {"when": t.datetime(when)} if when is not None else {}
        text = t(key, title=project.title, **dated, **params)
        return [text], [[(str(t("projects.button.open")), VIEW.pack(project=project.id))]]

    content = localized_content(render, services.translator, services.settings.language)
    kind = f"projects_{key.rsplit('.', 1)[-1]}"
    now = services.clock.now()
    draft = Draft(kind, OptOutCategory.PROJECTS.value, content, due_at=now)
    await dispatch(application, services, draft, members=audience)
    return len(audience)
