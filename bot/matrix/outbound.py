"""The bot → Matrix half of the gateway: the bot's chat events written into rooms, in order.

Each bridged chat has a forwarder that writes, in order, what the bot does in it (messages,
edits, button changes, deletions, toasts, files, polls) into its Matrix room, paced under
the homeserver's ``rc_message`` ceiling. A send is answered on the Bot API side only once
Matrix has the event (:meth:`MatrixOutbound._relay`, the sandbox's ``World.relay`` hook):
left room 403, refusal 400, no confirmation 502.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from mautrix.client import ClientAPI
from mautrix.errors import MatrixRequestError
from mautrix.types import EventType

from bot.delivery import Pacer
from bot.matrix import polls
from bot.matrix.render import content
from bot.matrix.resume import save_message
from bot.matrix.state import GatewayState
from bot.sandbox import Sandbox
from bot.sandbox.chatlog import is_bot_event
from bot.sandbox.errors import BLOCKED, ApiError
from bot.sandbox.pulse import Pulse

log = logging.getLogger(__name__)

RELAYED = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "deleteMessage",
    }
)
"""Bot API methods answered only once Matrix has the event they produce."""
CONFIRM_WITHIN = 60.0


class MatrixOutbound:
    """Writes the bot's chat events into Matrix rooms; the bridge's outgoing half."""

    sandbox: Sandbox
    state: GatewayState
    api: ClientAPI
    pacer: Pacer
    too_many_requests: int
    _rooms: dict[int, str]
    _forwarded: dict[int, int]
    _failures: dict[tuple[int, int], Exception]
    _progress: Pulse

    async def _forward(self, user_id: int) -> None:
        """Write into the member's room, in order, everything the bot does in their chat."""
        chat_log = self.sandbox.world.chat(user_id).log
        done = 0
        while True:
            await chat_log.wait_beyond(done, 30.0)
            while done < len(chat_log.events):
                event = chat_log.events[done]
                done += 1
                if is_bot_event(event):
                    try:
                        await self._out(user_id, event)
                    except Exception as error:  # the next messages still go out
                        log.exception("could not write a bot event into Matrix")
                        self._failures[(user_id, done)] = error
                elif event["kind"] == "message":  # the member's: only its place is kept
                    save_message(
                        self.state, self.sandbox, user_id, event["message"]["message_id"], None
                    )
                self._forwarded[user_id] = done
                self._progress.fire()

    async def _relay(self, method: str, raw: dict[str, str]) -> None:
        """Answer a send only once it is in Matrix: the engine's exactly-once holds."""
        chat = raw.get("chat_id", "")
        if method not in RELAYED or not chat.lstrip("-").isdigit():
            return
        chat_id = int(chat)
        if chat_id not in self._rooms:
            return
        target = len(self.sandbox.world.chat(chat_id).log.events)
        deadline = time.monotonic() + CONFIRM_WITHIN
        while self._forwarded.get(chat_id, 0) < target:
            if not await self._progress.wait(deadline - time.monotonic()):
                raise ApiError(502, "Bad Gateway: Matrix did not confirm the message in time")
        failure = self._failures.pop((chat_id, target), None)
        if isinstance(failure, MatrixRequestError) and failure.http_status == 403:
            raise ApiError(403, BLOCKED)
        if failure is not None:
            raise ApiError(400, f"Bad Request: Matrix refused the message: {failure}")

    async def _out(self, user_id: int, event: dict[str, Any]) -> None:
        room_id = self._rooms.get(user_id)
        if room_id is None:
            return  # the member left their room: the Bot API side answered 403 already
        kind, view = event["kind"], event.get("message") or {}
        message_id = view.get("message_id", 0)
        known = self.state.event_id(user_id, message_id)
        if kind == "message":
            event_id = await self._post(user_id, room_id, view)
            save_message(self.state, self.sandbox, user_id, message_id, event_id)
        elif kind in ("edit", "markup") and known is not None:
            edited = polls.edit(view, known)
            if edited is not None:
                await self._send(room_id, *edited)
            save_message(self.state, self.sandbox, user_id, message_id, known)
        elif kind == "delete" and known is not None:
            await self.pacer.acquire(user_id)
            await self.api.redact(room_id, known)
            self.state.forget_message(user_id, message_id)
        elif kind == "toast" and event.get("text"):
            await self._send(
                room_id, "m.room.message", {"msgtype": "m.notice", "body": event["text"]}
            )

    async def _post(self, user_id: int, room_id: str, view: dict[str, Any]) -> str:
        """A new message: a file is uploaded to the media repository first."""
        if "poll" in view:
            return await self._send(room_id, polls.POLL_START, polls.start(view))
        stored = None
        kind = view.get("kind", "text")
        if kind in ("document", "photo"):
            stored = self.sandbox.world.files.by_id(view[kind]["file_id"])
        body = content(view)
        if stored is not None:
            name = stored.file_name or ("image.png" if kind == "photo" else "document")
            mime = stored.mime_type or "application/octet-stream"
            url = await self.api.upload_media(stored.data, mime_type=mime, filename=name)
            body.update(
                msgtype="m.image" if kind == "photo" else "m.file",
                url=str(url),
                filename=name,
                info={"mimetype": mime, "size": len(stored.data)},
            )
            if not view.get("text"):
                body["body"] = name
        return await self._send(room_id, "m.room.message", body)

    async def _send(self, room_id: str, event_type: str, body: dict[str, Any]) -> str:
        """Send one event under the pacer; a 429 pauses every send for its ``retry_after``."""
        while True:
            await self.pacer.acquire(0)
            try:
                return str(
                    await self.api.send_message_event(room_id, EventType.find(event_type), body)
                )
            except MatrixRequestError as error:
                if error.http_status != 429:
                    raise
                self.too_many_requests += 1
                self.pacer.pause(_retry_after(error))


def _retry_after(error: MatrixRequestError) -> float:
    """Seconds a ``M_LIMIT_EXCEEDED`` asks to wait (1 s if the homeserver did not say)."""
    milliseconds = getattr(error, "retry_after_ms", None)
    return float(milliseconds) / 1000 if milliseconds else 1.0
