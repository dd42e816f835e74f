"""One member, one identity: codes shown by ``/lier``, links, unlinks and the chosen messenger.

Every change is committed first, then applied to :attr:`LinkService.addressing`, the
in-memory snapshot the Bot API router reads.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.domain.links.addressing import LinkedAddressing
from bot.domain.links.model import (
    CODE_VALIDITY,
    MAX_WRONG_TRIES,
    WRONG_TRIES_WINDOW,
    Link,
    LinkError,
    hash_code,
    new_code,
    normalise,
)
from bot.domain.membership import MembershipService
from bot.storage.audit import AuditStore
from bot.storage.links import LinkStore
from bot.transports import Transport, transport_of_id


class LinkService:
    """Links accounts of the other messenger to members; a personal data source."""

    name = "links"

    def __init__(
        self, store: LinkStore, members: MembershipService, audit: AuditStore, clock: Clock
    ) -> None:
        self._store = store
        self._members = members
        self._audit = audit
        self._clock = clock
        self.addressing = LinkedAddressing()

    async def load(self) -> None:
        """Read every link into the snapshot (when the services open)."""
        self.addressing.load(await self._store.links())

    async def link_of(self, member_id: int) -> Link | None:
        """The member's linked account, if any."""
        return await self._store.link_of_member(member_id)

    async def new_code(self, member_id: int) -> tuple[str, datetime]:
        """A fresh code for the member and until when it works; the previous one stops."""
        await self._require_member(member_id)
        link = await self._store.link_of_member(member_id)
        if link is not None:
            raise LinkError("has_link", messenger=link.transport.value)
        now = self._clock.now()
        await self._purge(now)
        code = new_code()
        expires = now + CODE_VALIDITY
        await self._store.put_code(member_id, hash_code(str(normalise(code))), now, expires)
        return code, expires

    async def link(self, account_id: int, typed: str) -> Link:
        """Link ``account_id`` to the member whose code it typed; LinkError when refused."""
        now = self._clock.now()
        await self._purge(now)
        await self._refuse_slowed(account_id, now)
        if await self._store.link_of_account(account_id) is not None:
            raise LinkError("already_linked")
        chars = normalise(typed)
        pending = await self._store.code_by_hash(hash_code(chars), now) if chars else None
        if pending is None:
            await self._store.record_wrong_try(account_id, now)
            await self._audit.record(now, account_id, "link_code", False, "code_wrong")
            raise LinkError("code_wrong")
        if transport_of_id(account_id) == transport_of_id(pending.member_id):
            raise LinkError("same_messenger", messenger=transport_of_id(account_id).value)
        await self._require_member(pending.member_id)
        if await self._store.link_of_member(pending.member_id) is not None:
            raise LinkError("taken")
        await self._take_account(account_id)
        link = Link(pending.member_id, account_id, now, transport_of_id(pending.member_id))
        if not await self._store.add_link(link):  # another account took it meanwhile
            raise LinkError("taken")
        self.addressing.put(link)
        detail = f"linked:{link.transport.value}"
        await self._audit.record(now, link.member_id, "link", True, detail)
        return link

    async def unlink(self, member_id: int) -> Link | None:
        """Undo the member's link (None if there was none)."""
        link = await self._store.link_of_member(member_id)
        if link is None:
            return None
        await self._store.remove_link(member_id)
        self.addressing.drop(link)
        detail = f"unlinked:{link.transport.value}"
        await self._audit.record(self._clock.now(), member_id, "unlink", True, detail)
        return link

    async def send_to(self, member_id: int, transport: Transport) -> Link:
        """Send the member's messages to ``transport``; LinkError without a link."""
        link = await self._store.link_of_member(member_id)
        if link is None:
            raise LinkError("no_link")
        await self._store.set_messages_to(member_id, transport)
        changed = link.sending_to(transport)
        self.addressing.put(changed)
        return changed

    async def export_personal_data(self, user_id: int) -> dict[str, Any]:
        """The person's links, pending code (not the code) and wrong tries."""
        return await self._store.personal_data(user_id)

    async def erase_personal_data(self, user_id: int) -> None:
        """Forget the person's links, code and wrong tries; the snapshot follows.

        The audit keeps its entries about their linked account (wrong codes) without its id.
        """
        for account in await self._store.erase(user_id):
            if account != user_id:
                await self._audit.erase_personal_data(account)
        await self.load()

    async def _require_member(self, member_id: int) -> None:
        member = await self._members.get(member_id)
        if member is None or not member.is_registered:
            raise LinkError("not_member")

    async def _refuse_slowed(self, account_id: int, now: datetime) -> None:
        recent = await self._store.wrong_tries_since(account_id, now - WRONG_TRIES_WINDOW)
        if len(recent) >= MAX_WRONG_TRIES:
            wait = recent[-MAX_WRONG_TRIES] + WRONG_TRIES_WINDOW - now
            await self._audit.record(now, account_id, "link_code", False, "slowed")
            raise LinkError("slowed", minutes=max(1, math.ceil(wait.total_seconds() / 60)))

    async def _take_account(self, account_id: int) -> None:
        """Refuse an account with its own history; drop a registration it left unfinished."""
        member = await self._members.get(account_id)
        if member is not None and member.is_registered:
            raise LinkError("own_data")
        if member is not None:  # it will act as the member: its own consent row would dangle
            await self._members.erase_personal_data(account_id)

    async def _purge(self, now: datetime) -> None:
        await self._store.purge(now, now - WRONG_TRIES_WINDOW)
