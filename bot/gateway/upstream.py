"""One Bot API server the router forwards to (Telegram, or the Matrix gateway), with its token."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.sandbox.params import Upload
from bot.transports import Transport

log = logging.getLogger(__name__)

BAD_GATEWAY = "Bad Gateway"
"""What Telegram answers (HTTP 502) when its own backend cannot be reached."""
CONNECT_TRIES = 5
CONNECT_PAUSE = 1.0
REQUEST_TIMEOUT = 75.0
"""Above the longest long poll the router asks an upstream for."""


@dataclass
class Call:
    """A Bot API call: its method, its fields as Telegram's form values, its uploads."""

    method: str
    fields: dict[str, str]
    uploads: dict[str, Upload] = field(default_factory=dict)

    def body(self) -> aiohttp.FormData | dict[str, str]:
        """The form the call is forwarded with: multipart when it uploads files."""
        if not self.uploads:
            return self.fields
        form = aiohttp.FormData(self.fields)
        for name, upload in self.uploads.items():
            form.add_field(
                name, upload.data, filename=upload.filename, content_type=upload.content_type
            )
        return form


def failure(code: int, description: str, **extra: Any) -> dict[str, Any]:
    """A Bot API error envelope."""
    return {"ok": False, "error_code": code, "description": description, **extra}


class Upstream:
    """A Bot API base URL (``…/bot``, as in ``Settings.api_url``) and the token it accepts.

    The token only ever appears in the URLs built here: never in a log line or an error.
    """

    def __init__(self, transport: Transport, api_url: str, token: str) -> None:
        self.transport = transport
        self._api = api_url.rstrip("/")
        base = self._api[: -len("/bot")] if self._api.endswith("/bot") else self._api
        self._files = base + "/file/bot"
        self._token = token
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        """Open the HTTP session (idempotent)."""
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
            self._session = aiohttp.ClientSession(timeout=timeout)

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
        self._session = None

    async def call(self, call: Call) -> tuple[int, dict[str, Any]]:
        """Forward ``call``; the HTTP status and Telegram's envelope (502 if unreachable).

        A connection that cannot be opened is tried again for a few seconds (the request
        never left, so nothing can be doubled); once the request is written, a broken
        connection or a timeout answers 502 at once: the upstream may have acted on it.
        """
        session = self._open_session()
        url = f"{self._api}{self._token}/{call.method}"
        for attempt in range(CONNECT_TRIES):
            try:
                async with session.post(url, data=call.body()) as response:
                    raw = await response.read()
                    return response.status, _envelope(response.status, raw)
            except aiohttp.ClientConnectorError as error:
                log.warning("%s upstream unreachable (%s)", self.transport, type(error).__name__)
                if attempt + 1 < CONNECT_TRIES:
                    await asyncio.sleep(CONNECT_PAUSE)
            except (aiohttp.ClientError, TimeoutError) as error:
                kind = type(error).__name__
                log.warning("%s upstream failed on %s (%s)", self.transport, call.method, kind)
                break
        return 502, failure(502, BAD_GATEWAY)

    async def download(self, path: str) -> tuple[int, bytes, str]:
        """The bytes of ``/file/bot<token>/<path>``: status, body, content type."""
        session = self._open_session()
        try:
            async with session.get(f"{self._files}{self._token}/{path}") as response:
                return response.status, await response.read(), response.content_type
        except (aiohttp.ClientError, TimeoutError) as error:
            kind = type(error).__name__
            log.warning("%s upstream failed on a download (%s)", self.transport, kind)
            return 502, json.dumps(failure(502, BAD_GATEWAY)).encode(), "application/json"

    def _open_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            raise RuntimeError("the upstream session is not open")
        return self._session


def _envelope(status: int, raw: bytes) -> dict[str, Any]:
    """The JSON envelope of an answer; a body that is not one becomes a 502 envelope."""
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if isinstance(body, dict) and "ok" in body:
        return body
    return failure(status if status >= 400 else 502, BAD_GATEWAY)
