"""Drive a sandbox running in another process through its control API (same vocabulary)."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from bot.sandbox.chatlog import Event
from bot.sandbox.errors import SandboxError
from bot.sandbox.participant import ChatView, Participant
from bot.sandbox.ratelimit import RateLimits


class SandboxClient:
    """An async client of ``/_sandbox/``; hands out :class:`RemoteUser` and :class:`RemoteGroup`."""

    def __init__(self, control_url: str) -> None:
        self.control_url = control_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.control_url + "/", timeout=30.0)

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self._http.aclose()

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _call(self, verb: str, path: str, **kwargs: Any) -> httpx.Response:
        response = await self._http.request(verb, path, **kwargs)
        if response.status_code >= 400:
            try:
                message = response.json()["error"]
            except (ValueError, KeyError):
                message = response.text
            raise SandboxError(message)
        return response

    async def info(self) -> dict[str, Any]:
        """API URLs, token and bot user of the sandbox."""
        return (await self._call("GET", "")).json()

    async def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "fr",
        *,
        started: bool = False,
    ) -> RemoteUser:
        """Create a simulated member."""
        body = {
            "user_id": user_id,
            "first_name": first_name,
            "last_name": last_name,
            "username": username,
            "language_code": language_code,
            "started": started,
        }
        await self._call("POST", "users", json=body)
        return RemoteUser(self, user_id, first_name)

    async def users(self) -> list[dict[str, Any]]:
        """All members (API user fields plus ``started`` and ``blocked``)."""
        return (await self._call("GET", "users")).json()["users"]

    def user(self, user_id: int, name: str | None = None) -> RemoteUser:
        """A handle on an existing member (no request)."""
        return RemoteUser(self, user_id, name or str(user_id))

    async def add_group(
        self,
        title: str,
        members: list[RemoteUser | int],
        *,
        bot_is_member: bool = True,
        chat_id: int | None = None,
    ) -> RemoteGroup:
        """Create a basic group."""
        ids = [m if isinstance(m, int) else m.user_id for m in members]
        body = {"title": title, "members": ids, "bot_is_member": bot_is_member, "chat_id": chat_id}
        created = (await self._call("POST", "groups", json=body)).json()
        return RemoteGroup(self, created["chat_id"], title)

    def group(self, chat_id: int, title: str | None = None) -> RemoteGroup:
        """A handle on an existing group (no request)."""
        return RemoteGroup(self, chat_id, title or str(chat_id))

    async def act(self, user_id: int, action: str, **payload: Any) -> dict[str, Any]:
        """Perform a member action (see :data:`bot.sandbox.actions.ACTIONS`)."""
        if isinstance(payload.get("data"), bytes):
            payload["data_b64"] = base64.b64encode(payload.pop("data")).decode()
        return (await self._call("POST", f"users/{user_id}/{action}", json=payload)).json()

    async def inject_update(self, raw: dict[str, Any]) -> int:
        """Queue an arbitrary JSON update verbatim (see ``Sandbox.inject_update``)."""
        return (await self._call("POST", "updates", json=raw)).json()["update_id"]

    async def events(self, chat_id: int, after: int, wait: float = 0.0) -> list[Event]:
        """Events of a chat after ``after``, waiting up to ``wait`` seconds for one."""
        response = await self._call(
            "GET",
            f"chats/{chat_id}/events",
            params={"after": after, "timeout": wait},
            timeout=wait + 30.0,
        )
        return response.json()["events"]

    async def requests(self, after: int = 0) -> list[dict[str, Any]]:
        """Recorded Bot API requests from index ``after`` on."""
        return (await self._call("GET", "requests", params={"after": after})).json()["requests"]

    async def download(self, file_id: str) -> bytes:
        """The bytes of a file the sandbox holds."""
        return (await self._call("GET", f"files/{file_id}")).content

    async def rate_limits(self) -> RateLimits:
        """The flood limits in force."""
        return RateLimits(**(await self._call("GET", "rate_limits")).json())

    async def set_rate_limits(self, limits: RateLimits) -> None:
        """Change the flood limits."""
        await self._call("PUT", "rate_limits", json=limits.as_dict())

    async def stats(self) -> dict[str, Any]:
        """Request counters, including the 429s answered."""
        return (await self._call("GET", "stats")).json()


class _RemoteChat(ChatView):
    """Reads a chat through the control API, caching the events already fetched."""

    client: SandboxClient

    def __init__(self, client: SandboxClient, chat_id: int, name: str) -> None:
        super().__init__(chat_id, name)
        self.client = client
        self._cache: list[Event] = []

    def _events(self) -> list[Event]:
        return self._cache

    async def _refresh(self, known: int, seconds: float) -> None:
        if len(self._cache) > known:
            return
        after = len(self._cache)
        fetched = await self.client.events(self.chat_id, after, seconds)
        # A concurrent refresh may have appended some of them meanwhile.
        self._cache.extend(fetched[len(self._cache) - after :])

    async def _download(self, file_id: str) -> bytes:
        return await self.client.download(file_id)


class RemoteUser(_RemoteChat, Participant):
    """A simulated member of a sandbox in another process.

    Same vocabulary as the in-process user; ``block``/``unblock`` are coroutines here, and
    ``transcript()``/``last_message``/``buttons()`` show what was fetched (``await sync()``).
    """

    def __init__(self, client: SandboxClient, user_id: int, name: str) -> None:
        _RemoteChat.__init__(self, client, user_id, name)
        self.user_id = user_id

    async def _act(self, action: str, **payload: Any) -> dict[str, Any]:
        return await self.client.act(self.user_id, action, **payload)

    async def block(self) -> None:
        """Block the bot."""
        await self._act("block")

    async def unblock(self) -> None:
        """Unblock the bot."""
        await self._act("unblock")


class RemoteGroup(_RemoteChat):
    """A simulated group of a sandbox in another process."""
