"""The bot's lifecycle: open services, start the Application (polling or webhook), stop cleanly.

The database is opened before ``Application.initialize`` because the conversation
persistence reads from it there; this is why maillage drives the lifecycle itself instead of
``run_polling``'s post_init hook.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from types import TracebackType
from urllib.parse import urlsplit

from bot.app import MaillageApplication, build_application
from bot.clock import Clock
from bot.config import Settings
from bot.services import Services
from bot.update_processor import FloodLimit
from bot.webhook import WebhookOptions, WebhookReceiver
from conversations.commands import publish_commands
from conversations.unserved import SERVED_UPDATES
from schedules import JobRegistry, default_registry, register_jobs, run_due

logger = logging.getLogger(__name__)


class BotRuntime:
    """One running bot: services, Application, scheduler, update source."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        registry: JobRegistry | None = None,
        poll_timeout: int = 10,
        flood: FloodLimit | None = None,
        attach: Callable[[Services], None] | None = None,
    ) -> None:
        self.settings = settings
        self._attach = attach
        self._flood = flood
        self._clock = clock
        self._registry = registry or default_registry()
        self._poll_timeout = poll_timeout
        self.services: Services | None = None
        self.application: MaillageApplication | None = None
        self._webhook: WebhookReceiver | None = None

    async def start(self, webhook: WebhookOptions | None = None) -> None:
        """Open the database, initialise the Application and start receiving updates."""
        self.services = await Services.open(self.settings, self._clock)
        try:
            if self._attach is not None:  # the transports' pacers and addressing
                self._attach(self.services)
            self.application = build_application(self.services, self._flood)
            await self.application.initialize()
            await publish_commands(self.application.bot, self.services)
            await self.application.start()
            await self.services.deliveries.open()
            await register_jobs(self.application, self.services, self._registry)
            assert self.application.updater is not None
            if webhook is None:
                await self.application.updater.start_polling(
                    timeout=self._poll_timeout,
                    drop_pending_updates=False,
                    allowed_updates=list(SERVED_UPDATES),
                )
            else:
                path = urlsplit(webhook.url).path
                self._webhook = WebhookReceiver(self.application, webhook, path)
                await self._webhook.start(list(SERVED_UPDATES))
        except BaseException:
            await self.services.close()
            raise
        logger.info("maillage is running (%s)", "webhook" if webhook else "long polling")

    async def run_due(self) -> list[str]:
        """Run every job due by the clock now (controllable clocks: tests, demos)."""
        assert self.application is not None and self.services is not None
        return await run_due(self.application, self.services, self._registry)

    async def stop(self) -> None:
        """Stop receiving, finish the updates in hand, persist and close the database."""
        if self._webhook is not None:
            await self._webhook.stop()
        if self.application is not None:
            if self.application.updater and self.application.updater.running:
                await self.application.updater.stop()
            if self.application.running:
                await self.application.stop()
            await self.application.shutdown()
        if self.services is not None:
            await self.services.close()
        logger.info("maillage stopped")

    async def __aenter__(self) -> BotRuntime:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()


async def wait_for_signal() -> None:
    """Return on SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def run_until_signalled(runtime: BotRuntime, webhook: WebhookOptions | None = None) -> None:
    """Run the bot until SIGINT or SIGTERM."""
    waiting = asyncio.ensure_future(wait_for_signal())
    await asyncio.sleep(0)  # the signal handlers are in place before the bot starts
    try:
        await runtime.start(webhook)
    except BaseException:
        waiting.cancel()
        raise
    try:
        await waiting
    finally:
        await runtime.stop()
