"""What the gateway needs from the bot's members: their language, and their erasure.

:func:`serve_members` is called once the bot's services are open. The gateway's own notices
then speak the language the member chose in the bot (``/langue``), and ``/mes_donnees``
and ``/supprimer`` cover the gateway's state file (:class:`GatewayPersonalData`).

The state file holds, per Matrix account, its Matrix id, direct room, display name and
language, and the bot's messages of the last 48 hours. Export lists them; erasure forgets
the name, the language and the messages, of the member's own Matrix account and of the one
linked to them (``/lier``); the address stays, as a Telegram chat stays at Telegram.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.matrix.state import GatewayState

if TYPE_CHECKING:
    from bot.matrix.bridge import MatrixBridge
    from bot.services import Services


def serve_members(services: Services, bridge: MatrixBridge) -> None:
    """The bridge's notices in the members' languages; erasure covering its state file."""
    bridge.language_of = member_language(services)
    services.privacy.add_source(GatewayPersonalData(bridge.state, linked_accounts(services)))


def member_language(services: Services) -> Callable[[int], Awaitable[str | None]]:
    """The language chosen in the bot by the member an account acts as (None: unknown)."""

    async def language_of(user_id: int) -> str | None:
        member = await services.members.get(services.addressing.member_of(user_id))
        return member.language if member is not None else None

    return language_of


def linked_accounts(services: Services) -> Callable[[int], Awaitable[list[int]]]:
    """A member's own account and the one linked to them (``/lier``), if any."""

    async def accounts_of(member_id: int) -> list[int]:
        link = await services.links.link_of(member_id)
        return [member_id] if link is None else [member_id, link.account_id]

    return accounts_of


class GatewayPersonalData:
    """What the gateway keeps about a member's Matrix accounts (``PersonalDataSource``)."""

    name = "matrix_gateway"

    def __init__(
        self, state: GatewayState, accounts_of: Callable[[int], Awaitable[list[int]]]
    ) -> None:
        self._state = state
        self._accounts_of = accounts_of

    async def export_personal_data(self, user_id: int) -> list[dict[str, Any]]:
        """Each Matrix account of the member the gateway knows, and its kept messages."""
        accounts = []
        for account in await self._accounts_of(user_id):
            saved = self._state.member(account)
            if saved is not None:
                accounts.append(
                    {
                        "matrix_id": saved.matrix_id,
                        "room_id": saved.room_id,
                        "display_name": saved.name,
                        "language": saved.language,
                        "kept_messages": self._state.kept_messages(account),
                    }
                )
        return accounts

    async def erase_personal_data(self, user_id: int) -> None:
        """Forget the names, languages and messages of the member's Matrix accounts."""
        for account in await self._accounts_of(user_id):
            self._state.forget_person(account)
