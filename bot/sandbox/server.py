"""The sandbox HTTP server: Bot API routes, file downloads, control API, and its owner object."""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from bot.sandbox import errors
from bot.sandbox.control import control_routes
from bot.sandbox.methods import METHODS, canonical_name
from bot.sandbox.model import Member
from bot.sandbox.params import Params, read_request
from bot.sandbox.ratelimit import RateLimits
from bot.sandbox.users import SimGroup, SimUser
from bot.sandbox.world import RecordedRequest, Stats, World

DEFAULT_TOKEN = "123456789:AAH-sandbox-token-xxxxxxxxxxxxxxxxxx"
MAX_REQUEST_BYTES = 60 * 1024 * 1024
_TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]+\Z")
_WORLD_KEY = web.AppKey("world", World)


def _json_response(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(body, ensure_ascii=False).encode(),
        status=status,
        content_type="application/json",
    )


async def _read_params(request: web.Request) -> tuple[Params, dict[str, str], dict[str, int]]:
    """Parameters from the query string and a form, multipart or JSON body."""
    values, raw, uploads = await read_request(request)
    sizes = {name: len(upload.data) for name, upload in uploads.items()}
    return Params(values, uploads), raw, sizes


async def _bot_api(request: web.Request) -> web.Response:
    """``/bot<TOKEN>/<method>``: run a method, answer Telegram's envelope, record the request."""
    world = request.app[_WORLD_KEY]
    sent_name = request.match_info["method"]
    method = canonical_name(sent_name)
    try:
        params, raw, sizes = await _read_params(request)
    except ValueError:
        params, raw, sizes = Params({}), {}, {}
    try:
        token = request.match_info["token"]
        if token != world.token:
            description = errors.UNAUTHORIZED if _TOKEN_SHAPE.match(token) else errors.INVALID_TOKEN
            raise errors.ApiError(401, description)
        if method is None:
            raise errors.ApiError(404, errors.METHOD_NOT_FOUND)
        result = METHODS[method](world, params)
        if inspect.isawaitable(result):
            result = await result
        if world.relay is not None:
            await world.relay(method, raw)
    except errors.ApiError as exc:
        world.record(method or sent_name, raw, sizes, exc.code, exc.description)
        return _json_response(exc.envelope(), exc.code)
    world.record(method, raw, sizes, 200, None)
    return _json_response({"ok": True, "result": result})


async def _download(request: web.Request) -> web.Response:
    """``/file/bot<TOKEN>/<file_path>``: the bytes of a stored file."""
    world = request.app[_WORLD_KEY]
    if request.match_info["token"] != world.token:
        return _json_response(errors.ApiError(401, errors.UNAUTHORIZED).envelope(), 401)
    stored = world.files.by_path(request.match_info["path"])
    if stored is None:
        return _json_response(errors.ApiError(404, errors.NOT_FOUND).envelope(), 404)
    return web.Response(body=stored.data, content_type="application/octet-stream")


class Sandbox:
    """A Telegram Bot API server on 127.0.0.1 with simulated members, for tests and demos.

    ``requests`` records every Bot API call; ``stats`` counts them (and the 429s).
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        rate_limits: RateLimits | None = None,
        *,
        bot_name: str = "Maillage",
        bot_username: str = "maillage_bot",
        callback_timeout: float = 15.0,
        privacy_mode: bool = True,
        clock: Callable[[], float] = time.monotonic,
        control: bool = True,
    ) -> None:
        self.control = control  # serve the /_sandbox control API (never in production)
        self.world = World(
            token,
            bot_name=bot_name,
            bot_username=bot_username,
            rate_limits=rate_limits or RateLimits.telegram(),
            callback_timeout=callback_timeout,
            privacy_mode=privacy_mode,
            clock=clock,
        )
        self._runner: web.AppRunner | None = None
        self._base: str | None = None
        self._group_ids = itertools.count(4_000_000_001)

    # -- lifecycle --------------------------------------------------------------------------

    def app(self) -> web.Application:
        """The aiohttp application (Bot API, file downloads, ``/_sandbox`` if ``control``)."""
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app[_WORLD_KEY] = self.world
        app.router.add_route("*", "/bot{token}/{method}", _bot_api)
        app.router.add_get("/file/bot{token}/{path:.+}", _download)
        if self.control:
            app.add_subapp("/_sandbox", control_routes(self))
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (0 = a free port); URLs are available afterwards."""
        self.world.updates.closed = False
        runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        sockets = runner.addresses
        bound_port = sockets[0][1]
        self._runner = runner
        self._base = f"http://{host}:{bound_port}"

    async def stop(self) -> None:
        """Release pending long polls and stop listening."""
        self.world.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _url(self, suffix: str) -> str:
        if self._base is None:
            raise RuntimeError("the sandbox is not started")
        return self._base + suffix

    @property
    def api_url(self) -> str:
        """Base URL for python-telegram-bot's ``base_url`` (it appends ``<TOKEN>/<method>``)."""
        return self._url("/bot")

    @property
    def file_url(self) -> str:
        """Base URL for python-telegram-bot's ``base_file_url``."""
        return self._url("/file/bot")

    @property
    def control_url(self) -> str:
        """Base URL of the JSON control API (see :mod:`bot.sandbox.control`)."""
        return self._url("/_sandbox")

    @property
    def token(self) -> str:
        """The bot token the sandbox accepts."""
        return self.world.token

    # -- observation and settings -----------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every Bot API request received, in order."""
        return self.world.requests

    @property
    def stats(self) -> Stats:
        """Counters: requests, errors, 429s (``too_many_requests``), messages sent."""
        return self.world.stats

    @property
    def rate_limits(self) -> RateLimits:
        """The flood limits in force; assign to change them at run time."""
        return self.world.limiter.limits

    @rate_limits.setter
    def rate_limits(self, limits: RateLimits) -> None:
        self.world.limiter.reconfigure(limits)

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet."""
        return len(self.world.updates)

    async def wait_idle(self, quiet: float = 0.3, within: float = 10.0) -> None:
        """Wait until the bot fetched every update and sent nothing but polls for ``quiet`` s."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            last = next((r.time for r in reversed(self.requests) if r.method != "getUpdates"), 0.0)
            if self.pending_updates == 0 and time.time() - last >= quiet:
                return
            await asyncio.sleep(quiet / 4)
        raise TimeoutError(f"the bot was still busy after {within} s")

    def inject_update(self, raw: dict[str, Any]) -> int:
        """Queue an arbitrary JSON update verbatim for getUpdates; returns its fresh update_id.

        For hostile-input tests: unknown kinds, missing fields, chats the sandbox does not
        know. ``allowed_updates`` is not applied; ``update_id`` is always replaced.
        """
        return self.world.inject_update(raw)

    # -- members and groups -----------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "fr",
        *,
        started: bool = False,
    ) -> SimUser:
        """Create a simulated member (their private chat has id = ``user_id``)."""
        member = Member(user_id, first_name, last_name, username, language_code, started=started)
        self.world.add_user(member)
        return SimUser(self.world, user_id)

    def user(self, user_id: int) -> SimUser:
        """An in-process handle on an existing member."""
        self.world.user(user_id)
        return SimUser(self.world, user_id)

    def add_group(
        self,
        title: str,
        members: Iterable[SimUser | int] = (),
        *,
        bot_is_member: bool = True,
        chat_id: int | None = None,
    ) -> SimGroup:
        """Create a basic group (negative id); the bot joins unless ``bot_is_member=False``."""
        ids = [m if isinstance(m, int) else m.user_id for m in members]
        for user_id in ids:
            self.world.user(user_id)
        group_id = chat_id if chat_id is not None else -next(self._group_ids)
        self.world.add_group(group_id, title, ids, bot_is_member)
        return SimGroup(self.world, group_id)

    def group(self, chat_id: int) -> SimGroup:
        """An in-process handle on an existing group."""
        return SimGroup(self.world, chat_id)


async def serve(
    host: str = "127.0.0.1",
    port: int = 8081,
    token: str = DEFAULT_TOKEN,
    rate_limits: RateLimits | None = None,
    *,
    announce: Callable[[str], None] | None = print,
    **options: Any,
) -> None:
    """Run a standalone sandbox until cancelled (``maillage sandbox``).

    Once listening, calls ``announce`` exactly once (default: ``print``) with one line:
    ``sandbox ready: api=<api_url> files=<file_url> control=<control_url>``.  Pass
    ``announce=None`` to print nothing.  ``options`` go to :class:`Sandbox`.
    """
    sandbox = Sandbox(token, rate_limits, **options)
    await sandbox.start(host, port)
    try:
        if announce is not None:
            announce(
                f"sandbox ready: api={sandbox.api_url} files={sandbox.file_url} "
                f"control={sandbox.control_url}"
            )
        await asyncio.Event().wait()
    finally:
        await sandbox.stop()
