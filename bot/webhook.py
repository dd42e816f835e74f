"""Webhook mode: the HTTPS endpoint Telegram posts updates to, served with aiohttp.

python-telegram-bot's own webhook server answers an update it cannot read with HTTP 400 and
logs the whole update (personal data included) with a traceback at CRITICAL; Telegram then
posts it again and again. This receiver follows the library's documented custom-webhook
pattern (put each ``Update`` on ``application.update_queue``) and reads each update the
way long polling does (``bot.update_reading``): an unreadable one is confirmed with 200,
logged in one line without its content, and served to no handler.
"""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.update_reading import readable_updates

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class WebhookOptions:
    """Where Telegram posts updates in webhook mode."""

    url: str
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str | None = None


class WebhookReceiver:
    """Receives the posted updates and queues those python-telegram-bot can read."""

    def __init__(self, application: Application, options: WebhookOptions, path: str) -> None:
        self._application = application
        self._options = options
        self._path = "/" + path.lstrip("/")
        self._runner: web.AppRunner | None = None

    async def start(self, allowed_updates: list[str]) -> None:
        """Listen, then tell Telegram where to post (with the secret and the kinds served)."""
        app = web.Application(client_max_size=1 << 20)
        app.router.add_post(self._path, self._receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._options.listen, self._options.port)
        await site.start()
        await self._application.bot.set_webhook(
            url=self._options.url,
            secret_token=self._options.secret_token,
            allowed_updates=allowed_updates,
        )

    async def stop(self) -> None:
        """Stop listening (Telegram keeps the webhook and holds the updates meanwhile)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        expected = self._options.secret_token
        if expected is not None and not hmac.compare_digest(
            request.headers.get(SECRET_HEADER, "").encode(), expected.encode()
        ):
            return web.Response(status=403, text="wrong secret token")
        try:
            data = json.loads(await request.read())
        except (UnicodeDecodeError, json.JSONDecodeError):
            logger.warning("webhook: a post that is not JSON was refused")
            return web.Response(status=400, text="not JSON")
        readable = readable_updates([data])
        if readable and set(readable[0]) != {"update_id"}:
            update = Update.de_json(readable[0], self._application.bot)
            await self._application.update_queue.put(update)
        return web.Response(text="ok")
