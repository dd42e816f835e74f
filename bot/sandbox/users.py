"""In-process simulated members and groups, reading and acting on the sandbox directly."""

from __future__ import annotations

from typing import Any

from bot.sandbox.actions import ACTIONS, block, unblock
from bot.sandbox.chatlog import Event
from bot.sandbox.errors import SandboxError
from bot.sandbox.participant import ChatView, Participant
from bot.sandbox.world import World


class _LocalChat(ChatView):
    """Reads a chat's log straight from the world."""

    world: World

    def _events(self) -> list[Event]:
        return self.world.chat(self.chat_id).log.events

    async def _refresh(self, known: int, seconds: float) -> None:
        await self.world.chat(self.chat_id).log.wait_beyond(known, seconds)

    async def _download(self, file_id: str) -> bytes:
        stored = self.world.files.by_id(file_id)
        if stored is None:
            raise SandboxError(f"unknown file {file_id}")
        return stored.data


class SimUser(_LocalChat, Participant):
    """A simulated member in the same process as the sandbox."""

    def __init__(self, world: World, user_id: int) -> None:
        self.world = world
        Participant.__init__(self, user_id, world.user(user_id).first_name)

    async def _act(self, action: str, **payload: Any) -> dict[str, Any]:
        return ACTIONS[action](self.world, self.user_id, **payload)

    def block(self) -> None:
        """Block the bot (``my_chat_member`` member -> kicked; later sends get 403)."""
        block(self.world, self.user_id)

    def unblock(self) -> None:
        """Unblock the bot (``my_chat_member`` kicked -> member)."""
        unblock(self.world, self.user_id)

    @property
    def blocked(self) -> bool:
        """Whether this member currently blocks the bot."""
        return self.world.user(self.user_id).blocked


class SimGroup(_LocalChat):
    """A simulated basic group in the same process as the sandbox."""

    def __init__(self, world: World, chat_id: int) -> None:
        self.world = world
        super().__init__(chat_id, world.chat(chat_id).title or str(chat_id))
