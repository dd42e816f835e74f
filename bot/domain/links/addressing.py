"""``LinkedAddressing``: the Bot API router's view of linked accounts, in memory.

The router asks for every update and every send, synchronously: the links are read once
when the services open and the snapshot is changed as soon as a link, an unlink or a
messenger choice is committed (:class:`bot.domain.links.service.LinkService`).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.links.model import Link
from bot.transports import DirectAddressing, Transport


class LinkedAddressing:
    """Implements :class:`bot.transports.Addressing` over the members' links."""

    def __init__(self, links: Iterable[Link] = ()) -> None:
        self._direct = DirectAddressing()
        self._members: dict[int, int] = {}
        self._routes: dict[int, tuple[Transport, int]] = {}
        self.load(links)

    def load(self, links: Iterable[Link]) -> None:
        """Replace the snapshot with ``links``."""
        self._members.clear()
        self._routes.clear()
        for link in links:
            self.put(link)

    def put(self, link: Link) -> None:
        """Take a new or changed link into account."""
        self._members[link.account_id] = link.member_id
        self._routes[link.member_id] = link.route

    def drop(self, link: Link) -> None:
        """Forget a link: both accounts are their own again."""
        self._members.pop(link.account_id, None)
        self._routes.pop(link.member_id, None)

    def member_of(self, user_id: int) -> int:
        """The member a linked account acts as; any other id acts as itself."""
        member = self._members.get(user_id)
        return self._direct.member_of(user_id) if member is None else member

    def route_of(self, chat_id: int) -> tuple[Transport, int]:
        """A member's chosen messenger and account there; any other id where it lives."""
        return self._routes.get(chat_id) or self._direct.route_of(chat_id)
