"""The CallbackContext handlers receive, exposing maillage's typed services."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services import Services

SERVICES_KEY = "services"


class MaillageContext(
    CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]
):
    """Context with a ``services`` attribute."""

    @property
    def services(self) -> Services:
        """The instance's services (database, domain, catalogs)."""
        return self.application.bot_data[SERVICES_KEY]


def attach_services(
    application: Application[Any, Any, Any, Any, Any, Any], services: Services
) -> None:
    """Make ``services`` reachable from every handler's context."""
    application.bot_data[SERVICES_KEY] = services
