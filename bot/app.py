"""build_application: the python-telegram-bot Application wired to maillage's services."""

from __future__ import annotations

import warnings
from functools import partial
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.warnings import PTBUserWarning

from bot.context import MaillageContext, attach_services
from bot.persistence import SqliteConversationPersistence
from bot.rate_limiter import PacedRateLimiter
from bot.services import Services
from bot.update_processor import FloodLimit, PerChatUpdateProcessor
from bot.update_reading import UpdatesRequest
from conversations import build_handlers
from conversations.fallback import on_error
from conversations.flood import tell_flooding

MaillageApplication = Application[Any, MaillageContext, Any, Any, Any, Any]
# httpx spends more time managing a large pool than it saves: the visio and delivery
# benchmarks measured 52 vs 108 taps/s and 230 vs 900 requests/s for 256/64 vs 8 connections.
HTTP_CONNECTIONS = 8

# Conversations mix messages and buttons per chat on purpose (per_message=False).
warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)


def build_application(services: Services, flood: FloodLimit | None = None) -> MaillageApplication:
    """An Application talking to ``settings.api_url``, with every maillage handler.

    ``flood``: how fast one chat may send messages and presses (Telegram's pace by default).
    """
    settings = services.settings
    processor = PerChatUpdateProcessor(flood=flood or FloodLimit())
    application = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.api_url)
        .base_file_url(settings.file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.timezone,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=MaillageContext))
        .connection_pool_size(HTTP_CONNECTIONS)
        .get_updates_request(UpdatesRequest(connection_pool_size=1))
        .persistence(SqliteConversationPersistence(services.conversations))
        .rate_limiter(PacedRateLimiter(services.deliveries.pacers))
        .concurrent_updates(processor)
        .build()
    )
    attach_services(application, services)
    processor.on_flood = partial(tell_flooding, application)
    processor.after_each = application.update_persistence
    for group, handlers in build_handlers().items():
        application.add_handlers(handlers, group=group)
    application.add_error_handler(on_error)
    return application
