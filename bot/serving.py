"""Which messenger ``maillage run`` serves: the settings the Application runs with, per transport.

Telegram: the Application talks to the Bot API of ``MAILLAGE_API_URL`` with the bot token.
Matrix: the gateway (:mod:`bot.matrix.gateway`) is served in this process first, and the
Application talks to it on 127.0.0.1 with the token it drew for this run. Both: the gateway,
and the Bot API router (:mod:`bot.gateway`) in front of Telegram and the gateway; the
Application polls the router. Every transport is one branch of :func:`serving`; once the
bot's services are open, :attr:`Served.attach` gives the engine its Matrix pacer and the
router the members' linked accounts.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.config import MatrixAccount, Settings
from bot.logs import install_redaction
from bot.matrix.members import serve_members
from bot.transports import Transport

if TYPE_CHECKING:
    from bot.gateway import BotApiRouter
    from bot.matrix.gateway import MatrixGateway
    from bot.services import Services

TRANSPORTS = (*(transport.value for transport in Transport), "both")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Served:
    """The settings to run the bot with, and what to do once its services are open."""

    settings: Settings
    attach: Callable[[Services], None] | None = None


@contextlib.asynccontextmanager
async def serving(settings: Settings, transport: str) -> AsyncIterator[Served]:
    """What to run the bot with on ``transport`` (telegram, matrix, both), gateways up."""
    if transport == Transport.TELEGRAM:
        settings.require_token()
        yield Served(settings)
        return
    from bot.matrix.gateway import MatrixGateway  # mautrix only when serving Matrix

    token = settings.require_token() if transport == "both" else None
    account = settings.require_matrix()
    gateway = MatrixGateway(account)
    install_redaction(logging.getLogger().handlers, [gateway.token])
    await gateway.start()
    logger.info("Matrix gateway serving %s", account.user_id)
    try:
        if token is None:
            matrix_only = replace(settings, api_url=gateway.api_url, bot_token=gateway.token)
            yield Served(matrix_only, _attach(account, gateway))
        else:
            async with _routed(settings, token, account, gateway) as both:
                yield both
    finally:
        await gateway.stop()


def _attach(
    account: MatrixAccount, gateway: MatrixGateway, router: BotApiRouter | None = None
) -> Callable[[Services], None]:
    """What to do once the services are open: pace Matrix, wire the router and gateway.

    Matrix sends are paced at the account's rate; the router (``both``) is given the
    members' linked accounts; the gateway is connected to the members.
    """

    def attach(services: Services) -> None:
        addressing = None
        if router is not None:
            router.addressing = services.addressing  # answers where the member speaks
            addressing = router.addressing
        services.deliveries.pacers.serve_matrix(account.per_second, addressing)
        assert gateway.bridge is not None
        serve_members(services, gateway.bridge)

    return attach


@contextlib.asynccontextmanager
async def _routed(
    settings: Settings, token: str, account: MatrixAccount, gateway: MatrixGateway
) -> AsyncIterator[Served]:
    """The router in front of Telegram and the Matrix gateway, and the settings to poll it."""
    from bot.gateway import start_router

    router = await start_router(
        token=token,
        matrix_api_url=gateway.api_url,
        matrix_token=gateway.token,
        telegram_api_url=settings.api_url,
    )
    logger.info("Bot API router serving Telegram and Matrix")
    try:
        yield Served(replace(settings, api_url=router.api_url), _attach(account, gateway, router))
    finally:
        await router.stop()
