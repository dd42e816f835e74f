"""The Bot API router: one Application serves Telegram and Matrix members through 127.0.0.1.

The python-telegram-bot Application (``api_url`` = :attr:`BotApiRouter.api_url`) polls this
server instead of Telegram. Each call goes to one upstream, Telegram or the Matrix gateway,
chosen by the ids in it (:mod:`bot.gateway.addresses`); ``getUpdates`` merges both streams
(:mod:`bot.gateway.merge`); files are downloaded from the upstream that produced them.
Calls without a target go to Telegram, and those that configure the bot
(:data:`TO_BOTH`) to the Matrix gateway as well. See docs/matrix.md, "Routing".
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web

from bot.gateway.addresses import ORIGIN_PARAMS, Origins, Presenter, route
from bot.gateway.merge import MergedUpdates, allowed_updates
from bot.gateway.speaking import WhereTheySpeak
from bot.gateway.upstream import Call, Upstream, failure
from bot.sandbox.params import read_request
from bot.transports import Addressing, DirectAddressing, Transport

log = logging.getLogger(__name__)

TO_BOTH = frozenset(
    {
        "deletewebhook",
        "setmycommands",
        "deletemycommands",
        "setmydescription",
        "setmyshortdescription",
        "setmyname",
    }
)
"""Methods without a target that the Matrix gateway needs too (answered from Telegram)."""
MAX_REQUEST_BYTES = 60 * 1024 * 1024


async def read_call(request: web.Request, method: str) -> Call:
    """A call's fields (query string, form, multipart or JSON body) and its uploads."""
    _, fields, uploads = await read_request(request)
    return Call(method, fields, uploads)


def _answer(envelope: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(envelope, ensure_ascii=False).encode(),
        status=status,
        content_type="application/json",
    )


class BotApiRouter:
    """An aiohttp Bot API server on 127.0.0.1 in front of a Telegram and a Matrix upstream."""

    def __init__(
        self,
        telegram: Upstream,
        matrix: Upstream,
        *,
        token: str,
        addressing: Addressing | None = None,
    ) -> None:
        self.upstreams = {Transport.TELEGRAM: telegram, Transport.MATRIX: matrix}
        self.token = token
        self.origins = Origins()
        self.presenter = Presenter(WhereTheySpeak(addressing or DirectAddressing()), self.origins)
        self.updates = MergedUpdates([telegram, matrix], self.presenter.update)
        self._runner: web.AppRunner | None = None
        self._base: str | None = None

    @property
    def addressing(self) -> Addressing:
        """Who an incoming id acts as, and where a send goes (answers where they speak)."""
        return self.presenter.addressing

    @addressing.setter
    def addressing(self, value: Addressing) -> None:
        self.presenter.addressing = WhereTheySpeak(value)

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Open the upstreams, learn their bots' ids, listen, and start merging updates."""
        for upstream in self.upstreams.values():
            await upstream.open()
        await self._learn_bot_ids()
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app[_ROUTER_KEY] = self
        app.router.add_route("*", "/bot{token}/{method}", _bot_api)
        app.router.add_get("/file/bot{token}/{path:.+}", _download)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        self._base = f"http://{host}:{runner.addresses[0][1]}"
        self.updates.start()

    async def stop(self) -> None:
        """Stop merging (unconfirmed updates stay upstream), stop listening, close sessions."""
        await self.updates.stop()
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None
        for upstream in self.upstreams.values():
            await upstream.close()

    async def _learn_bot_ids(self) -> None:
        """The Matrix gateway's bot appears to the Application as Telegram's bot."""
        ids = {}
        for transport, upstream in self.upstreams.items():
            status, envelope = await upstream.call(Call("getMe", {}))
            if envelope.get("ok"):
                ids[transport] = int(envelope["result"]["id"])
            else:
                log.warning("getMe on %s: %s", transport, status)
        if Transport.TELEGRAM in ids and Transport.MATRIX in ids:
            self.presenter.bot_ids = {ids[Transport.MATRIX]: ids[Transport.TELEGRAM]}

    @property
    def api_url(self) -> str:
        """For the Application's ``base_url`` (``Settings.api_url``)."""
        if self._base is None:
            raise RuntimeError("the router is not started")
        return self._base + "/bot"

    @property
    def file_url(self) -> str:
        """For the Application's ``base_file_url``."""
        return self.api_url[: -len("/bot")] + "/file/bot"

    # -- calls -------------------------------------------------------------------------------

    async def handle(self, call: Call) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: merged updates, or the routed upstream's answer."""
        name = call.method.lower()
        if name == "getupdates":
            return 200, {"ok": True, "result": await self._get_updates(call.fields)}
        routed = route(call.fields, self.addressing, self.origins)
        transport, fields = routed if routed is not None else (Transport.TELEGRAM, call.fields)
        status, envelope = await self.upstreams[transport].call(
            Call(call.method, fields, call.uploads)
        )
        if routed is None and name in TO_BOTH:
            await self._also_to_matrix(call)
        elif routed is None and status == 400 and _names_an_origin(call.fields):
            status, envelope, transport = await self._matrix_instead(call, status, envelope)
        if name in ("deletewebhook", "setwebhook") and fields.get("drop_pending_updates") in (
            "true",
            "True",
        ):
            self.updates.drop_pending()
        if envelope.get("ok"):
            envelope = {**envelope, "result": self.presenter.value(envelope["result"], transport)}
        return status, envelope

    async def _matrix_instead(
        self, call: Call, status: int, envelope: dict[str, Any]
    ) -> tuple[int, dict[str, Any], Transport]:
        """A query or file id of unknown origin (given before a restart) Telegram refused."""
        matrix_status, matrix_envelope = await self.upstreams[Transport.MATRIX].call(call)
        if matrix_envelope.get("ok"):
            return matrix_status, matrix_envelope, Transport.MATRIX
        return status, envelope, Transport.TELEGRAM

    async def _also_to_matrix(self, call: Call) -> None:
        status, envelope = await self.upstreams[Transport.MATRIX].call(call)
        if not envelope.get("ok"):
            log.warning("%s on the Matrix gateway: %s", call.method, status)

    async def _get_updates(self, fields: dict[str, str]) -> list[dict[str, Any]]:
        allowed = allowed_updates(fields.get("allowed_updates"))
        if allowed is not None:
            self.updates.allowed = allowed
        return await self.updates.get(
            _number(fields.get("offset"), 0),
            _number(fields.get("limit"), 100),
            _number(fields.get("timeout"), 0),
        )

    async def download(self, path: str) -> tuple[int, bytes, str]:
        """A file, from the upstream whose ``getFile`` gave its path (Telegram if unknown)."""
        transport = self.origins.of(path) or Transport.TELEGRAM
        return await self.upstreams[transport].download(path)


_ROUTER_KEY = web.AppKey("router", BotApiRouter)


def _names_an_origin(fields: dict[str, str]) -> bool:
    return any(name in fields for name in ORIGIN_PARAMS)


def _number(value: str | None, default: int) -> int:
    """An integer parameter (PTB may send ``1.0`` for a timeout); ``default`` if unreadable."""
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return int(float(value))
    except (ValueError, OverflowError):
        return default


async def _bot_api(request: web.Request) -> web.Response:
    """``/bot<TOKEN>/<method>``: only the Application's own token is served."""
    router = request.app[_ROUTER_KEY]
    if request.match_info["token"] != router.token:
        return _answer(failure(401, "Unauthorized"), 401)
    try:
        call = await read_call(request, request.match_info["method"])
    except ValueError:
        return _answer(failure(400, "Bad Request: can't parse request parameters"), 400)
    status, envelope = await router.handle(call)
    return _answer(envelope, status)


async def _download(request: web.Request) -> web.Response:
    """``/file/bot<TOKEN>/<path>``: the bytes, from the upstream that stored the file."""
    router = request.app[_ROUTER_KEY]
    if request.match_info["token"] != router.token:
        return _answer(failure(401, "Unauthorized"), 401)
    status, body, content_type = await router.download(request.match_info["path"])
    return web.Response(body=body, status=status, content_type=content_type)
