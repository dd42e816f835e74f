"""python-telegram-bot persistence that keeps conversation states in the SQLite database.

Only conversations are persisted: durable facts live in their own tables, so user_data,
chat_data, bot_data and callback_data are deliberately not stored.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.storage.conversations import ConversationKey, ConversationStore

ConversationDict = MutableMapping[ConversationKey, object]


class SqliteConversationPersistence(
    BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]
):
    """Stores ConversationHandler states in the ``conversation_states`` table."""

    def __init__(self, store: ConversationStore, update_interval: float = 1) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=False, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._store = store

    async def get_conversations(self, name: str) -> ConversationDict:
        """Load one conversation's states."""
        return await self._store.load(name)  # type: ignore[return-value]

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Save (or drop, when None) one member's state."""
        await self._store.save(name, key, new_state)

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Not persisted."""
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Not persisted."""
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        """Not persisted."""
        return {}

    async def get_callback_data(self) -> None:
        """Not persisted."""
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Not persisted."""

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Not persisted."""

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Not persisted."""

    async def update_callback_data(self, data: Any) -> None:
        """Not persisted."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Not persisted."""

    async def drop_user_data(self, user_id: int) -> None:
        """Not persisted."""

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Not persisted."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Not persisted."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Not persisted."""

    async def flush(self) -> None:
        """Every write is already committed; nothing to flush."""
