"""Which messenger ``maillage run`` serves: the settings the Application runs with, per transport.

Telegram: the Application talks to the Bot API of ``MAILLAGE_API_URL`` with the bot token.
Matrix: the gateway (:mod:`bot.matrix.gateway`) is served in this process first, and the
Application talks to it on 127.0.0.1 with the token it drew for this run. Every transport
is one branch of :func:`serving`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

from bot.config import Settings
from bot.logs import install_redaction
from bot.transports import Transport

TRANSPORTS = tuple(transport.value for transport in Transport)

logger = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def serving(settings: Settings, transport: Transport) -> AsyncIterator[Settings]:
    """The settings to run the bot with on ``transport``, its gateway up meanwhile."""
    if transport is Transport.TELEGRAM:
        settings.require_token()
        yield settings
        return
    from bot.matrix.gateway import MatrixGateway  # mautrix only when serving Matrix

    account = settings.require_matrix()
    gateway = MatrixGateway(account)
    install_redaction(logging.getLogger().handlers, [gateway.token])
    await gateway.start()
    logger.info("Matrix gateway serving %s", account.user_id)
    # Every send goes to Matrix: the engine paces at the account's rate, so its requests do
    # not pile up at the gateway (each is answered only once Matrix has the event).
    pace = min(settings.send_rate, account.per_second)
    try:
        yield replace(settings, api_url=gateway.api_url, bot_token=gateway.token, send_rate=pace)
    finally:
        await gateway.stop()
