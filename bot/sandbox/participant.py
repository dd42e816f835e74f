"""The vocabulary of simulated members and chats, shared by in-process and remote ones.

Subclasses only say how to read a chat's events and how to perform an action; waiting,
matching, cursors, button lookup and transcripts are implemented once, here.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox import chatlog
from bot.sandbox.chatlog import Event


@dataclass(frozen=True, slots=True)
class ReceivedFile:
    """A document or photo the bot sent: its name, bytes, type, caption and message."""

    filename: str | None
    data: bytes
    mime_type: str | None
    caption: str
    message: dict[str, Any]


class ChatView(ABC):
    """Reads one chat: waits for bot events after a cursor, shows buttons and a transcript."""

    chat_id: int
    name: str

    def __init__(self, chat_id: int, name: str) -> None:
        self.chat_id = chat_id
        self.name = name
        self.cursor = 0  # seq of the last consumed event

    @abstractmethod
    def _events(self) -> list[Event]:
        """The chat's events known so far (seq = index + 1)."""

    @abstractmethod
    async def _refresh(self, known: int, seconds: float) -> None:
        """Wait up to ``seconds`` until more than ``known`` events are known."""

    @abstractmethod
    async def _download(self, file_id: str) -> bytes:
        """The bytes of a file the sandbox holds."""

    async def sync(self) -> None:
        """Bring the known events up to date without waiting."""
        await self._refresh(len(self._events()), 0)

    async def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for a new event in the chat; True if one arrived."""
        known = len(self._events())
        await self._refresh(known, seconds)
        return len(self._events()) > known

    async def _wait_for(
        self, accept: Callable[[Event], bool], seconds: float, wanted: str
    ) -> Event:
        deadline = time.monotonic() + seconds
        scanned = self.cursor
        while True:
            events = self._events()
            for event in events[scanned:]:
                if chatlog.is_bot_event(event) and accept(event):
                    self.cursor = event["seq"]
                    return event
            scanned = len(events)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"{self.name}: no bot event {wanted} after #{self.cursor} within "
                    f"{seconds}s. Transcript:\n" + "\n".join(self.transcript())
                )
            await self._refresh(scanned, remaining)

    async def expect(self, text: str = "", *, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109 (public API)
        """Consume the next bot event whose plain text contains ``text``; return the message.

        For a toast the result is ``{"toast": text, "show_alert": bool}``.
        """

        def accept(event: Event) -> bool:
            shown = chatlog.event_text(event)
            return shown is not None and text in shown

        event = await self._wait_for(accept, timeout, f"containing {text!r}")
        if event["kind"] == "toast":
            return {"toast": event["text"], "show_alert": event.get("show_alert", False)}
        return event["message"]

    async def _expect_file(self, kind: str, seconds: float) -> ReceivedFile:
        event = await self._wait_for(
            lambda e: e["kind"] == "message" and e["message"]["kind"] == kind,
            seconds,
            f"with a {kind}",
        )
        message = event["message"]
        info = message[kind]
        return ReceivedFile(
            info.get("file_name"),
            await self._download(info["file_id"]),
            info.get("mime_type"),
            message["text"],
            message,
        )

    async def expect_document(self, *, timeout: float = 5.0) -> ReceivedFile:  # noqa: ASYNC109
        """Consume the next document the bot sends; return its name and bytes."""
        return await self._expect_file("document", timeout)

    async def expect_photo(self, *, timeout: float = 5.0) -> ReceivedFile:  # noqa: ASYNC109
        """Consume the next photo the bot sends; return its bytes."""
        return await self._expect_file("photo", timeout)

    async def expect_poll(self, question: str = "", *, timeout: float = 5.0) -> dict:  # noqa: ASYNC109
        """Consume the next poll the bot sends whose question contains ``question``."""
        event = await self._wait_for(
            lambda e: (
                e["kind"] == "message"
                and e["message"]["kind"] == "poll"
                and question in e["message"]["text"]
            ),
            timeout,
            f"with a poll containing {question!r}",
        )
        return event["message"]

    async def expect_nothing(self, *, within: float = 0.5) -> None:
        """Assert that no bot event after the cursor exists or arrives within ``within`` s."""
        deadline = time.monotonic() + within
        while True:
            events = self._events()
            unseen = [e for e in events[self.cursor :] if chatlog.is_bot_event(e)]
            if unseen:
                raise AssertionError(
                    f"{self.name}: expected nothing from the bot, got "
                    + "; ".join(chatlog.describe(e) for e in unseen)
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            await self._refresh(len(events), remaining)

    def messages(self) -> dict[int, dict[str, Any]]:
        """Current state of every live message of the chat, by id."""
        return chatlog.current_messages(self._events())

    @property
    def last_message(self) -> dict[str, Any] | None:
        """Current state of the latest bot message (after edits), None if none."""
        bot_messages = [m for m in self.messages().values() if m["from"] == "bot"]
        return bot_messages[-1] if bot_messages else None

    def buttons(self, message_id: int | None = None) -> list[list[str]]:
        """Button labels, row by row, of a message (default: latest bot message with buttons)."""
        message = self.message_with_buttons(message_id)
        return chatlog.labels(message) if message else []

    @property
    def toasts(self) -> list[str]:
        """Texts of the callback answers shown in this chat, oldest first."""
        return [e["text"] for e in self._events() if e["kind"] == "toast"]

    def transcript(self) -> list[str]:
        """The whole chat, both sides, one readable line per event."""
        return [chatlog.describe(event) for event in self._events()]

    def unread(self) -> list[Event]:
        """Bot events after the cursor."""
        return [e for e in self._events()[self.cursor :] if chatlog.is_bot_event(e)]

    def message_with_buttons(self, message_id: int | None = None) -> dict[str, Any] | None:
        """A message by id, or the latest bot message with buttons (None if there is none)."""
        messages = self.messages()
        if message_id is None:
            return chatlog.latest_with_buttons(messages)
        return messages.get(message_id)


class Participant(ChatView):
    """A simulated member: acts in their private chat (or a group) and reads it."""

    user_id: int

    def __init__(self, user_id: int, name: str) -> None:
        super().__init__(user_id, name)
        self.user_id = user_id

    @abstractmethod
    async def _act(self, action: str, **payload: Any) -> dict[str, Any]:
        """Perform one of :data:`bot.sandbox.actions.ACTIONS` as this member."""

    async def send(self, text: str) -> dict[str, Any]:
        """Send a text message to the bot; return the message as the member sees it."""
        return await self._act("send", text=text)

    async def send_in(self, group: ChatView, text: str) -> dict[str, Any]:
        """Send a text message in a group."""
        return await self._act("send", text=text, chat_id=group.chat_id)

    async def send_sticker(self, emoji: str = "👍") -> dict[str, Any]:
        """Send a sticker."""
        return await self._act("send_media", kind="sticker", emoji=emoji)

    async def send_photo(self, data: bytes | None = None, caption: str | None = None) -> dict:
        """Send a photo (a small generated PNG by default)."""
        return await self._act("send_media", kind="photo", data=data, caption=caption)

    async def send_voice(self, duration: int = 2) -> dict[str, Any]:
        """Send a voice note."""
        return await self._act("send_media", kind="voice", duration=duration)

    async def send_document(
        self, name: str, data: bytes, caption: str | None = None
    ) -> dict[str, Any]:
        """Send a document named ``name``."""
        return await self._act(
            "send_media", kind="document", file_name=name, data=data, caption=caption
        )

    async def tap(
        self, label: str, *, message_id: int | None = None, group: ChatView | None = None
    ) -> str:
        """Press the button labelled ``label`` (exact, else unique substring); return query id.

        Default message: the latest bot message with buttons in the private chat (or
        ``group``).  With ``message_id``, any older message; if its keyboard has changed
        since, a button of an earlier state is pressed (a stale keyboard still on screen).
        """
        view = group or self
        await view.sync()
        message = view.message_with_buttons(message_id)
        if message is None and message_id is None:
            raise AssertionError(f"{self.name}: no buttons on any bot message")
        states = [message] if message_id is None else chatlog.snapshots(view._events(), message_id)
        for state in states:
            if any(label in b["text"] for row in state["buttons"] for b in row):
                button = chatlog.find_button(state, label)
                return await self._press(state["message_id"], button["callback_data"], view)
        shown = chatlog.labels(states[0]) if states else []
        raise AssertionError(
            f"{self.name}: no button matching {label!r} on message "
            f"{message_id or message['message_id']}; buttons: {shown}"
        )

    async def tap_data(
        self, data: str, message_id: int | None = None, *, group: ChatView | None = None
    ) -> str:
        """Send a forged callback with arbitrary ``data`` (default: latest bot message)."""
        view = group or self
        await view.sync()
        if message_id is None:
            message = view.message_with_buttons(None) or view.last_message
            if message is None:
                raise AssertionError(f"{self.name}: no bot message to tap on")
            message_id = message["message_id"]
        return await self._press(message_id, data, view)

    async def _press(self, message_id: int, data: str, view: ChatView) -> str:
        result = await self._act("tap", message_id=message_id, data=data, chat_id=view.chat_id)
        return result["callback_query_id"]

    async def answer_poll(self, poll: Any, option_ids: list[int]) -> dict[str, Any]:
        """Vote in a poll; ``[]`` retracts the vote.

        ``poll``: a poll id, a message dict carrying ``poll``, or a python-telegram-bot
        ``Message``/``Poll``.
        """
        if isinstance(poll, dict):
            poll_id = poll["poll"]["id"]
        elif isinstance(poll, str):
            poll_id = poll
        else:
            poll_id = getattr(poll, "poll", poll).id
        return await self._act("answer_poll", poll_id=poll_id, option_ids=list(option_ids))
