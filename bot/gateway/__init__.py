"""The Bot API router: one bot, one Application, serving Telegram and Matrix members at once.

:class:`BotApiRouter` is a Bot API server on 127.0.0.1 the Application polls; it forwards
each call to Telegram or to the Matrix gateway and merges their updates. Start it with
:func:`start_router` and point the Application's ``api_url`` at ``router.api_url``.
"""

from __future__ import annotations

from bot.config import OFFICIAL_API_URL
from bot.gateway.router import BotApiRouter
from bot.gateway.upstream import Upstream
from bot.transports import Addressing, Transport


async def start_router(
    *,
    token: str,
    matrix_api_url: str,
    matrix_token: str,
    telegram_api_url: str = OFFICIAL_API_URL,
    addressing: Addressing | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> BotApiRouter:
    """A started router: Telegram with the bot's ``token``, the Matrix gateway with its own.

    ``token`` is also the one the Application uses on the router; ``matrix_api_url`` is
    the gateway's Bot API base URL (``Sandbox.api_url``, ending in ``/bot``).
    """
    router = BotApiRouter(
        Upstream(Transport.TELEGRAM, telegram_api_url, token),
        Upstream(Transport.MATRIX, matrix_api_url, matrix_token),
        token=token,
        addressing=addressing,
    )
    await router.start(host, port)
    return router


__all__ = ["BotApiRouter", "Upstream", "start_router"]
