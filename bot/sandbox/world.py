"""All sandbox state, and the operations the Bot API methods and members' actions share."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox import errors
from bot.sandbox.files import FileStore
from bot.sandbox.model import BOT_SIDE, USER_SIDE, Chat, Member, Message, Poll, now
from bot.sandbox.ratelimit import RateLimiter, RateLimits
from bot.sandbox.updates import UpdateQueue


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One Bot API request as received: raw string params, uploaded file sizes, outcome."""

    method: str
    params: dict[str, str]
    files: dict[str, int]
    status: int
    description: str | None
    time: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (control API)."""
        return {
            "method": self.method,
            "params": self.params,
            "files": self.files,
            "status": self.status,
            "description": self.description,
            "time": self.time,
        }


@dataclass(slots=True)
class Stats:
    """Counters of what the sandbox answered."""

    requests: int = 0
    errors: int = 0
    too_many_requests: int = 0
    messages_sent: int = 0
    by_method: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "requests": self.requests,
            "errors": self.errors,
            "too_many_requests": self.too_many_requests,
            "messages_sent": self.messages_sent,
            "by_method": dict(self.by_method),
        }


@dataclass(slots=True)
class CallbackQuery:
    """A callback query the bot may answer once, while it is young enough."""

    user_id: int
    chat_id: int | None  # None: no chat the sandbox knows (an injected inline-message press)
    created: float
    answered: bool = False


class World:
    """Users, chats, messages, files, polls, callback queries, updates and bot settings."""

    def __init__(
        self,
        token: str,
        *,
        bot_name: str,
        bot_username: str,
        rate_limits: RateLimits,
        callback_timeout: float,
        privacy_mode: bool,
        clock: Callable[[], float],
    ) -> None:
        self.token = token
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot = Member(bot_id, bot_name, username=bot_username, is_bot=True)
        self.privacy_mode = privacy_mode
        self.callback_timeout = callback_timeout
        self.clock = clock
        self.limiter = RateLimiter(rate_limits, clock)
        self.users: dict[int, Member] = {}
        self.chats: dict[int, Chat] = {}
        self.files = FileStore()
        self.polls: dict[str, Poll] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.updates = UpdateQueue()
        self.requests: list[RecordedRequest] = []
        self.stats = Stats()
        # Awaited after each successful method with its raw parameters, before the answer
        # (the Matrix gateway answers a send once Matrix has it); may raise ApiError.
        self.relay: Callable[[str, dict[str, str]], Awaitable[None]] | None = None
        self.settings: dict[str, Any] = {"webhook": None, "commands": {}, "texts": {}, "menu": {}}
        self._ids = itertools.count(1)

    # -- identities -------------------------------------------------------------------------

    def new_id(self, prefix: int = 0) -> str:
        """A fresh numeric identifier string (callback queries, polls)."""
        return str(prefix + next(self._ids))

    def continue_ids(self, start: int) -> None:
        """Fresh identifiers go on from ``start`` at least (a restored world's callbacks)."""
        self._ids = itertools.count(max(start, next(self._ids)))

    def add_user(self, member: Member) -> Chat:
        """Register a member and their private chat with the bot."""
        if member.id in self.users:
            raise errors.SandboxError(f"user {member.id} already exists")
        self.users[member.id] = member
        chat = Chat(member.id, "private", user=member)
        self.chats[member.id] = chat
        return chat

    def add_group(self, chat_id: int, title: str, member_ids: list[int], bot_member: bool) -> Chat:
        """Register a basic group; announce the bot's arrival if it is a member."""
        if chat_id in self.chats:
            raise errors.SandboxError(f"chat {chat_id} already exists")
        chat = Chat(chat_id, "group", title=title, member_ids=list(member_ids))
        chat.bot_status = "member" if bot_member else "left"
        self.chats[chat_id] = chat
        if bot_member and member_ids:
            self.chat_member_update(chat, self.user(member_ids[0]), "left", "member")
        return chat

    def user(self, user_id: int) -> Member:
        """The member with this id, or SandboxError."""
        try:
            return self.users[user_id]
        except KeyError:
            raise errors.SandboxError(f"unknown user {user_id}") from None

    def chat(self, chat_id: int) -> Chat:
        """The chat with this id, or SandboxError."""
        try:
            return self.chats[chat_id]
        except KeyError:
            raise errors.SandboxError(f"unknown chat {chat_id}") from None

    # -- what the bot may do ----------------------------------------------------------------

    def chat_for_bot(self, chat_id: int) -> Chat:
        """The chat the bot addresses, after Telegram's access checks (400/403)."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise errors.bad_request(errors.CHAT_NOT_FOUND)
        if chat.user is not None:
            if chat.user.blocked:
                raise errors.forbidden(errors.BLOCKED)
            if not chat.user.started:
                raise errors.forbidden(errors.CANT_INITIATE)
        elif chat.bot_status == "kicked":
            raise errors.forbidden(errors.KICKED_FROM_GROUP)
        elif chat.bot_status != "member":
            raise errors.forbidden(errors.NOT_GROUP_MEMBER)
        return chat

    def throttle(self, chat: Chat, *, creates: bool, paid: bool = False) -> None:
        """Apply the flood limits to one send (``creates``) or edit in ``chat``."""
        retry_after = self.limiter.check(chat.id, private=chat.private, creates=creates, paid=paid)
        if retry_after:
            raise errors.too_many_requests(retry_after)

    def post(self, chat: Chat, sender: Member, kind: str, **content: Any) -> Message:
        """Create a message in ``chat`` and log it; members' messages also become updates."""
        message = Message(chat.take_message_id(), chat, sender, now(), kind, **content)
        chat.messages[message.message_id] = message
        side = BOT_SIDE if sender.is_bot else USER_SIDE
        view = message.view()
        chat.log.append(side, "message", message=view, user_id=sender.id, name=sender.first_name)
        if sender.is_bot:
            self.stats.messages_sent += 1
        elif self._bot_hears(chat, message):
            self.updates.push("message", message.to_api())
        return message

    def inject_update(self, raw: dict[str, Any]) -> int:
        """Queue ``raw`` verbatim as an update (fresh ``update_id``) and return that id.

        A ``callback_query`` with a string ``id`` becomes answerable like a real press, its
        toast logged in the chat of its message (or of its sender) when the sandbox knows it.
        """
        query = raw.get("callback_query")
        if isinstance(query, dict) and isinstance(query.get("id"), str):
            sender = query.get("from")
            user_id = sender.get("id") if isinstance(sender, dict) else None
            message = query.get("message")
            chat = message.get("chat") if isinstance(message, dict) else None
            chat_id = chat.get("id") if isinstance(chat, dict) else user_id
            self.callbacks[query["id"]] = CallbackQuery(
                user_id if isinstance(user_id, int) else 0,
                chat_id if isinstance(chat_id, int) and chat_id in self.chats else None,
                self.clock(),
            )
        return self.updates.push_raw(raw)

    def _bot_hears(self, chat: Chat, message: Message) -> bool:
        """Whether the bot receives a member's message (group privacy mode, membership)."""
        if chat.private:
            return True
        if chat.bot_status != "member":
            return False
        if not self.privacy_mode:
            return True
        text = message.text or ""
        return any(e["type"] == "bot_command" for e in message.entities) or (
            f"@{self.bot.username}" in text
        )

    def log_bot_event(self, message: Message, kind: str) -> None:
        """Log an edit/markup/delete event of ``message`` in its chat."""
        message.chat.log.append(BOT_SIDE, kind, message=message.view(), user_id=self.bot.id)

    def chat_member_update(self, chat: Chat, actor: Member, old: str, new: str) -> None:
        """Queue a ``my_chat_member`` update: the bot's status in ``chat`` changed."""
        bot = self.bot.to_api()

        def status(value: str) -> dict[str, Any]:
            member: dict[str, Any] = {"status": value, "user": bot}
            if value == "kicked":
                member["until_date"] = 0
            return member

        self.updates.push(
            "my_chat_member",
            {
                "chat": chat.api,
                "from": actor.to_api(),
                "date": now(),
                "old_chat_member": status(old),
                "new_chat_member": status(new),
            },
        )

    def record(
        self,
        method: str,
        params: dict[str, str],
        files: dict[str, int],
        status: int,
        description: str | None,
    ) -> None:
        """Append one request to the recording and count it."""
        self.requests.append(
            RecordedRequest(method, params, files, status, description, time.time())
        )
        stats = self.stats
        stats.requests += 1
        stats.by_method[method] += 1
        if status != 200:
            stats.errors += 1
            if status == 429:
                stats.too_many_requests += 1
