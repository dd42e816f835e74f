"""Voting: private ballots with toggles and the group poll, merged into one ballot per member.

A member's ballot is the set of topics they approve. A tap on a private toggle adds or
removes one topic; an answer in the group's poll replaces the whole set with the options
chosen there (a retraction empties it). Either way the member has one ballot, counted once.
Only registered members' answers count; a vote after the close or on a cancelled session
is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from bot.clock import Clock
from bot.domain.membership import MembershipService
from bot.domain.visio.model import BallotView, Session, SessionStatus, VisioError
from bot.storage.visio import BallotStore, SessionStore


class PollAnswer(StrEnum):
    """What became of an answer in the group poll."""

    COUNTED = "counted"
    UNKNOWN_POLL = "unknown_poll"
    CLOSED = "closed"
    NOT_MEMBER = "not_member"


class BallotService:
    """The rules of voting."""

    def __init__(
        self,
        sessions: SessionStore,
        ballots: BallotStore,
        members: MembershipService,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._ballots = ballots
        self._members = members
        self._clock = clock

    async def view(self, session_id: int, user_id: int) -> BallotView:
        """The member's ballot in an open vote."""
        session = await self._open_session(session_id)
        options = tuple(await self._ballots.options(session.id))
        ticked = frozenset(await self._ballots.ticks(session.id, user_id))
        return BallotView(session, options, ticked)

    async def toggle(
        self, session_id: int, user_id: int, topic_id: int, tick: bool | None = None
    ) -> BallotView:
        """Approve a topic or withdraw the approval; the updated ballot.

        ``tick`` is what the member asked for (None: the opposite of the stored state); a
        ballot already in that state is left as it is (a press on a ballot drawn before a
        crash, or a second racing press).
        """
        view = await self.view(session_id, user_id)
        if topic_id not in {topic.id for topic in view.options}:
            raise VisioError("expired")
        if tick is not None and (topic_id in view.ticked) == tick:
            return view
        ticked = await self._ballots.toggle(session_id, user_id, topic_id, self._clock.now())
        ticks = view.ticked | {topic_id} if ticked else view.ticked - {topic_id}
        return BallotView(view.session, view.options, ticks)

    async def poll_answer(
        self, poll_id: str, user_id: int, option_ids: Sequence[int]
    ) -> PollAnswer:
        """Count an answer from the group poll as the member's whole ballot."""
        session = await self._sessions.by_poll(poll_id)
        if session is None:
            return PollAnswer.UNKNOWN_POLL
        if not self._is_open(session):
            return PollAnswer.CLOSED
        member = await self._members.get(user_id)
        if member is None or not member.is_registered:
            return PollAnswer.NOT_MEMBER
        options = await self._ballots.options(session.id)
        chosen = {options[i].id for i in option_ids if 0 <= i < len(options)}
        await self._ballots.replace(session.id, user_id, chosen, self._clock.now())
        return PollAnswer.COUNTED

    async def counts(self, session_id: int) -> tuple[dict[int, int], int]:
        """Approvals per topic id so far, and how many members approved anything."""
        return await self._ballots.approvals(session_id)

    async def open_votes(self) -> list[Session]:
        """Sessions whose vote is open now."""
        return [s for s in await self._sessions.ending_after(self._clock.now()) if self._is_open(s)]

    async def _open_session(self, session_id: int) -> Session:
        session = await self._sessions.get(session_id)
        if session is None:
            raise VisioError("expired")
        if session.status is SessionStatus.CANCELLED:
            raise VisioError("cancelled")
        if not self._is_open(session):
            raise VisioError("vote_closed")
        return session

    def _is_open(self, session: Session) -> bool:
        closes = session.vote_closes_at
        return (
            session.status is SessionStatus.VOTING
            and closes is not None
            and self._clock.now() < closes
        )
