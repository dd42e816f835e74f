"""A python-telegram-bot request backend on aiohttp, for bulk sending.

python-telegram-bot's ``HTTPXRequest`` tops out at a few hundred requests per second with a
pool of 64 connections on this kind of machine (httpx's pool bookkeeping dominates), far
below the 1,000 messages/s of Telegram's paid tier; aiohttp does several thousand. PTB
supports other HTTP libraries through :class:`telegram.request.BaseRequest`, which this is.

It also tells apart the failures the engine must treat differently: a connection that
could not be opened or taken from the pool, or a request that could not be written, never
reached the server (:class:`RequestNotSent`); a timeout or a broken connection once the
request was written means it may have.
"""

from __future__ import annotations

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class RequestNotSent(NetworkError):
    """The request could not leave: no connection could be opened or taken from the pool."""


_UNSENT_BODY = ("Can not write request body", "Failed to send bytes into the underlying")
"""aiohttp's words when the request could not be written: the server cannot have acted on it."""


def _never_left(error: aiohttp.ClientError) -> bool:
    if isinstance(error, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return True
    return any(words in str(error) for words in _UNSENT_BODY)


def _seconds(value: object, default: float) -> float | None:
    """A timeout argument from PTB: a number, None (no limit) or DEFAULT_NONE (ours)."""
    if value is None or isinstance(value, int | float):
        return value
    return default


def _body(request_data: RequestData | None) -> dict[str, str] | aiohttp.FormData | None:
    """The request's form: url-encoded fields, or multipart when it uploads files."""
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form


class AiohttpRequest(BaseRequest):
    """Bot API requests over one aiohttp session with a bounded connection pool."""

    def __init__(
        self,
        connection_pool_size: int,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        pool_timeout: float = 10.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._connect = connect_timeout
        self._read = read_timeout
        self._pool = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        """The default time to wait for an answer."""
        return self._read

    async def initialize(self) -> None:
        """Open the session and its connection pool."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        """Close the connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; raise RequestNotSent, TimedOut or NetworkError on failure."""
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialised")
        connect = _seconds(connect_timeout, self._connect)
        pool = _seconds(pool_timeout, self._pool)
        timeout = aiohttp.ClientTimeout(
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=_seconds(read_timeout, self._read),
        )
        data = _body(request_data)
        headers = {"User-Agent": self.USER_AGENT}
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except aiohttp.ClientError as error:
            message = f"aiohttp.{type(error).__name__}: {error}"
            if _never_left(error):
                raise RequestNotSent(message) from error
            if isinstance(error, TimeoutError):
                raise TimedOut(message) from error
            raise NetworkError(message) from error
