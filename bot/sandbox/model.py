"""The sandbox's records: members, chats, messages, polls, and each chat's event log."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.files import StoredFile
from bot.sandbox.markup import button_rows
from bot.sandbox.pulse import Pulse

BOT_SIDE = "bot"
USER_SIDE = "user"
SYSTEM_SIDE = "system"


@dataclass(slots=True)
class Member:
    """A simulated Telegram user (or the bot itself, with ``is_bot``)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    started: bool = False
    blocked: bool = False

    def to_api(self) -> dict[str, Any]:
        """Bot API ``User``."""
        user: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value is not None:
                user[key] = value
        return user

    def to_dict(self) -> dict[str, Any]:
        """Control-API view: the API user plus sandbox state."""
        return {**self.to_api(), "started": self.started, "blocked": self.blocked}


class ChatLog:
    """Everything that happened in one chat, as JSON-ready events with increasing ``seq``."""

    __slots__ = ("_changed", "events")

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self._changed = Pulse()

    def append(self, side: str, kind: str, **fields: Any) -> dict[str, Any]:
        """Record one event and wake whoever waits for it."""
        event = {"seq": len(self.events) + 1, "side": side, "kind": kind, **fields}
        self.events.append(event)
        self._changed.fire()
        return event

    async def wait_beyond(self, count: int, seconds: float) -> bool:
        """Wait up to ``seconds`` until the log holds more than ``count`` events."""
        if len(self.events) <= count:
            await self._changed.wait(seconds)
        return len(self.events) > count


@dataclass(slots=True)
class Chat:
    """A private chat (id = user id) or a basic group (negative id)."""

    id: int
    type: str
    title: str | None = None
    user: Member | None = None
    member_ids: list[int] = field(default_factory=list)
    bot_status: str = "member"
    messages: dict[int, Message] = field(default_factory=dict)
    next_message_id: int = 1
    log: ChatLog = field(default_factory=ChatLog)
    api: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.user is not None:
            self.api = {"id": self.id, "type": "private", "first_name": self.user.first_name}
            if self.user.last_name:
                self.api["last_name"] = self.user.last_name
            if self.user.username:
                self.api["username"] = self.user.username
        else:
            self.api = {"id": self.id, "type": self.type, "title": self.title}

    @property
    def private(self) -> bool:
        """True for a one-to-one chat with a member."""
        return self.type == "private"

    def latest_message(self) -> Message | None:
        """The chat's most recent message that was not deleted."""
        for message in reversed(self.messages.values()):
            if not message.deleted:
                return message
        return None

    def take_message_id(self) -> int:
        """The next message id of this chat."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass(slots=True)
class Poll:
    """A poll sent by the bot, with each voter's current choice."""

    id: str
    question: str
    options: list[str]
    is_anonymous: bool
    type: str
    allows_multiple_answers: bool
    chat_id: int
    message_id: int
    correct_option_ids: list[int] | None = None
    is_closed: bool = False
    votes: dict[int, list[int]] = field(default_factory=dict)

    def to_api(self) -> dict[str, Any]:
        """Bot API ``Poll``."""
        counts = [0] * len(self.options)
        for chosen in self.votes.values():
            for option in chosen:
                counts[option] += 1
        poll: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "options": [
                {"persistent_id": str(i), "text": text, "voter_count": counts[i]}
                for i, text in enumerate(self.options)
            ],
            "total_voter_count": len(self.votes),
            "is_closed": self.is_closed,
            "is_anonymous": self.is_anonymous,
            "type": self.type,
            "allows_multiple_answers": self.allows_multiple_answers,
            "allows_revoting": self.type != "quiz",
            "members_only": False,
        }
        if self.correct_option_ids is not None:
            poll["correct_option_ids"] = self.correct_option_ids
        return poll


@dataclass(slots=True)
class Message:
    """One message of a chat, in its current state (after edits)."""

    message_id: int
    chat: Chat
    sender: Member
    date: int
    kind: str  # text, document, photo, poll, sticker, voice
    raw: str | None = None  # text or caption exactly as sent (HTML source)
    text: str | None = None  # plain text or caption after parsing
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None  # inline keyboard only
    keyboard: dict[str, Any] | None = None  # reply keyboard sent with it, if any
    media: Any = None  # API value of document/photo/sticker/voice
    file: StoredFile | None = None
    poll: Poll | None = None
    edit_date: int | None = None
    deleted: bool = False

    def to_api(self) -> dict[str, Any]:
        """Bot API ``Message``."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender.to_api(),
            "chat": self.chat.api,
            "date": self.date,
        }
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.kind == "text":
            message["text"] = self.text
            if self.entities:
                message["entities"] = self.entities
        elif self.kind == "poll":
            assert self.poll is not None
            message["poll"] = self.poll.to_api()
        else:
            message[self.kind] = self.media
            if self.text:
                message["caption"] = self.text
                if self.entities:
                    message["caption_entities"] = self.entities
        if self.reply_markup is not None:
            message["reply_markup"] = self.reply_markup
        return message

    def view(self) -> dict[str, Any]:
        """What a member sees: plain ``text``, raw ``html``, ``buttons``, files, poll."""
        view: dict[str, Any] = {
            "message_id": self.message_id,
            "chat_id": self.chat.id,
            "from": "bot" if self.sender.is_bot else self.sender.id,
            "date": self.date,
            "kind": self.kind,
            "text": self.text or "",
            "html": self.raw,
            "entities": self.entities,
            "buttons": button_rows(self.reply_markup),
            "edited": self.edit_date is not None,
        }
        if self.keyboard is not None:
            view["keyboard"] = self.keyboard
        if self.file is not None:
            view[self.kind] = {
                "file_id": self.file.file_id,
                "file_name": self.file.file_name,
                "mime_type": self.file.mime_type,
                "file_size": len(self.file.data),
            }
        if self.poll is not None:
            view["poll"] = self.poll.to_api()
            view["text"] = self.poll.question
        return view


def now() -> int:
    """Current Unix time, as message dates use."""
    return int(time.time())
