"""The sections a newsletter fills by itself from what the network did and will do.

Upcoming monthly video sessions and the votes on their topics (``visio``), co-development
activity in counts only (``codev``: the groups' cases are confidential), and the members
who joined since the last newsletter.
"""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock
from bot.domain.codev.service import CodevService
from bot.domain.newsletter.model import (
    CodevFact,
    EventFact,
    LetterFacts,
    OpenVoteFact,
    VoteFact,
)
from bot.domain.visio import VisioService
from bot.domain.visio.model import SessionStatus
from bot.storage.newsletter.broadcasts import NewsletterStore

EVENTS_AHEAD = timedelta(days=62)
"""Sessions starting within this horizon are announced."""
FIRST_LETTER_LOOKBACK = timedelta(days=31)
"""Without an earlier newsletter, newcomers and votes are counted over this period."""
NEWCOMERS_LISTED = 20
"""At most this many newcomers are named; the others are counted."""


class LetterSections:
    """Gathers the facts a newsletter tells, at the moment it is composed."""

    def __init__(
        self, store: NewsletterStore, visio: VisioService, codev: CodevService, clock: Clock
    ) -> None:
        self._store = store
        self._visio = visio
        self._codev = codev
        self._clock = clock

    async def gather(self) -> LetterFacts:
        """Everything worth telling since the last newsletter that went out."""
        now = self._clock.now()
        since = await self._store.last_letter_at()
        window_start = since or now - FIRST_LETTER_LOOKBACK
        sessions = await self._visio.cycle.upcoming()
        events = tuple(
            EventFact(s.title, s.starts_at)
            for s in sessions
            if s.status is SessionStatus.SCHEDULED and s.title and s.starts_at <= now + EVENTS_AHEAD
        )
        open_votes = tuple(
            OpenVoteFact(s.starts_at, s.vote_closes_at)
            for s in sessions
            if s.status is SessionStatus.VOTING and s.vote_closes_at is not None
        )
        votes = tuple(
            VoteFact(s.title, s.voters, s.starts_at)
            for s in sessions
            if s.title
            and s.voters is not None
            and s.vote_closes_at is not None
            and window_start < s.vote_closes_at <= now
        )
        newcomers, total = await self._store.registered_since(window_start, NEWCOMERS_LISTED)
        return LetterFacts(
            since=since,
            events=events,
            open_votes=open_votes,
            votes=votes,
            new_members=tuple(newcomers),
            new_members_total=total,
            codev=await self._codev_fact(),
        )

    async def _codev_fact(self) -> CodevFact | None:
        """Groups with members, their members and sessions held; None without any group."""
        groups = [g for g in await self._codev.groups.stats() if g.members]
        if not groups:
            return None
        return CodevFact(
            groups=len(groups),
            members=sum(g.members for g in groups),
            sessions_held=sum(g.sessions_held for g in groups),
        )
