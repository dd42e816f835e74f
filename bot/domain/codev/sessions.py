"""Co-development sessions: a client's request, its date, answers, the six steps, attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.codev.fields import check_link
from bot.domain.codev.groups import CodevGroups
from bot.domain.codev.model import (
    CASE_MAX,
    DETAIL_MAX,
    FARTHEST_DATE,
    FOLLOWUP_BEFORE_NEXT,
    MAX_DATE_OPTIONS,
    MIN_DATE_OPTIONS,
    OPEN_STATUSES,
    REMINDERS,
    STEPS,
    CodevDenied,
    CodevError,
    DateOption,
    Group,
    GuideMode,
    MeetingMode,
    Relation,
    Rsvp,
    Session,
    SessionStatus,
    clean_text,
)
from bot.domain.datetime_input import DateTimeInputError, parse_datetime_input
from bot.storage.codev.sessions import CodevSessionStore

S = SessionStatus


@dataclass(frozen=True)
class Rotation:
    """The rule "as many sessions as members": who has been client, and who has not yet."""

    been: dict[int, datetime]
    not_yet: list[int]


class CodevSessions:
    """The rules of a session's life; access goes through the group's rules."""

    def __init__(
        self, store: CodevSessionStore, groups: CodevGroups, clock: Clock, zone: ZoneInfo
    ) -> None:
        self._store = store
        self._groups = groups
        self._clock = clock
        self._zone = zone

    async def get(self, session_id: int) -> Session | None:
        """One session (no access check: for jobs and notices)."""
        return await self._store.get(session_id)

    async def require(
        self, user_id: int, session_id: int, need: Relation, action: str
    ) -> tuple[Session, Group, Relation]:
        """The session and its group if the person may ``need``; refusals audited."""
        session = await self._store.get(session_id)
        group, relation = await self._groups.require(
            user_id, session.group_id if session else None, need, action
        )
        assert session is not None
        return session, group, relation

    async def for_facilitator(
        self, user_id: int, session_id: int, action: str, statuses: frozenset[SessionStatus]
    ) -> tuple[Session, Group]:
        """The session if the person facilitates its group and it is in one of ``statuses``."""
        session, group, _ = await self.require(user_id, session_id, Relation.FACILITATOR, action)
        if session.status not in statuses:
            raise CodevError("session_state")
        return session, group

    async def of_group(self, user_id: int, group_id: int) -> list[Session]:
        """The group's sessions, for its members and facilitator."""
        await self._groups.require(user_id, group_id, Relation.MEMBER, "sessions")
        return await self._store.of_group(group_id)

    # -- request ----------------------------------------------------------------------------

    async def may_request(self, user_id: int, group_id: int) -> Group:
        """Check that a member may bring a case now (a seat, no request under way)."""
        group, relation = await self._groups.require(user_id, group_id, Relation.MEMBER, "ask")
        if relation is Relation.FACILITATOR:
            raise CodevError("facilitator_no_case")
        if await self._store.open_of_client(group_id, user_id, tuple(OPEN_STATUSES)):
            raise CodevError("already_asked")
        return group

    async def request(self, user_id: int, group_id: int, text: str | None) -> Session:
        """A member asks to be the client, with a one-paragraph case."""
        group = await self.may_request(user_id, group_id)
        case = clean_text(text, CASE_MAX)
        session_id = await self._store.create(
            group_id, user_id, case, group.step_minutes, self._clock.now()
        )
        session = await self._store.get(session_id)
        assert session is not None
        return session

    async def decline(self, user_id: int, session_id: int) -> Session:
        """The facilitator does not take the request."""
        await self.require(user_id, session_id, Relation.FACILITATOR, "decline")
        if not await self._store.move(session_id, S.DECLINED, (S.REQUESTED, S.POLLING)):
            raise CodevError("session_state")
        return await self._reread(session_id)

    # -- dates ------------------------------------------------------------------------------

    def read_datetime(self, text: str | None) -> datetime:
        """A meeting time typed in the network's zone (DateTimeInputError, or too far)."""
        now = self._clock.now()
        instant = parse_datetime_input(text or "", self._zone, now)
        if instant - now > FARTHEST_DATE:
            raise CodevError("date_too_far")
        return instant

    async def schedule(
        self, user_id: int, session_id: int, starts_at: datetime, link: str | None
    ) -> Session:
        """Fix the date and link; reminders follow, and earlier plans' follow-ups come before."""
        _, group, _ = await self.require(user_id, session_id, Relation.FACILITATOR, "schedule")
        where = clean_text(link, DETAIL_MAX)
        if group.mode is MeetingMode.VIDEO:
            check_link(where)
        now = self._clock.now()
        if starts_at <= now:
            raise CodevError("date_past")
        if starts_at - now > FARTHEST_DATE:
            raise CodevError("date_too_far")
        reminders = [
            (kind, starts_at - ahead) for kind, ahead in REMINDERS if starts_at - ahead > now
        ]
        followup_by = max(now, starts_at - FOLLOWUP_BEFORE_NEXT)
        allowed = (S.REQUESTED, S.POLLING, S.SCHEDULED)
        if not await self._store.schedule(
            session_id, starts_at, where, reminders, followup_by, allowed
        ):
            raise CodevError("session_state")
        return await self._reread(session_id)

    async def offer_dates(self, user_id: int, session_id: int, text: str | None) -> list[datetime]:
        """Offer two to five dates, one per line, for the group to choose from."""
        await self.require(user_id, session_id, Relation.FACILITATOR, "offer_dates")
        lines = [line for line in (text or "").splitlines() if line.strip()]
        if not MIN_DATE_OPTIONS <= len(lines) <= MAX_DATE_OPTIONS:
            raise CodevError("date_count", low=MIN_DATE_OPTIONS, high=MAX_DATE_OPTIONS)
        dates: list[datetime] = []
        for number, line in enumerate(lines, start=1):
            try:
                dates.append(self.read_datetime(line))
            except (CodevError, DateTimeInputError) as error:
                raise CodevError("date_line", line=number, reason=error) from error
        if len(set(dates)) != len(dates):
            raise CodevError("date_twice")
        if not await self._store.offer_dates(session_id, sorted(dates), (S.REQUESTED, S.POLLING)):
            raise CodevError("session_state")
        return sorted(dates)

    async def options(self, session_id: int) -> list[DateOption]:
        """The dates offered with who each suits (callers checked access)."""
        return await self._store.options(session_id)

    async def vote(self, user_id: int, session_id: int, number: int) -> list[DateOption]:
        """Say a date suits (or no longer suits) the member."""
        session, _, _ = await self.require(user_id, session_id, Relation.MEMBER, "vote")
        if session.status is not S.POLLING:
            raise CodevError("poll_closed")
        if await self._store.toggle_vote(session_id, number, user_id) is None:
            raise CodevError("poll_closed")
        return await self._store.options(session_id)

    async def pick_option(self, user_id: int, session_id: int, number: int) -> datetime:
        """The facilitator retains one of the dates offered."""
        session, _, _ = await self.require(user_id, session_id, Relation.FACILITATOR, "pick")
        if session.status is not S.POLLING:
            raise CodevError("poll_closed")
        for option in await self._store.options(session_id):
            if option.number == number:
                if option.starts_at <= self._clock.now():
                    raise CodevError("date_past")
                return option.starts_at
        raise CodevError("poll_closed")

    # -- invitation answers -----------------------------------------------------------------

    async def rsvp(self, user_id: int, session_id: int, answer: Rsvp) -> Session:
        """A member says whether they will come."""
        session, _, _ = await self.require(user_id, session_id, Relation.MEMBER, "rsvp")
        if session.status is not S.SCHEDULED:
            raise CodevError("session_state")
        await self._store.set_rsvp(session_id, user_id, answer, self._clock.now())
        return session

    async def rsvps(self, session_id: int) -> dict[int, Rsvp]:
        """Answers to the invitation (callers checked access)."""
        return await self._store.rsvps(session_id)

    async def rotation(self, group_id: int) -> Rotation:
        """Who among the members has been client in a session held, and who not yet."""
        clients = await self._store.clients(group_id)
        members = await self._groups.member_ids(group_id)
        return Rotation(
            {m: clients[m] for m in members if m in clients},
            [m for m in members if m not in clients],
        )

    # -- guided steps -----------------------------------------------------------------------

    async def start_guide(self, user_id: int, session_id: int, mode: GuideMode) -> Session:
        """Begin the six steps in the group chat or in private chats."""
        _, group, _ = await self.require(user_id, session_id, Relation.FACILITATOR, "guide")
        if mode is GuideMode.CHAT and await self._groups.chat_title(group) is None:
            raise CodevError("no_chat")
        now = self._clock.now()
        if not await self._store.start_guide(session_id, mode, group.step_minutes, now):
            raise CodevError("session_state")
        return await self._reread(session_id)

    async def next_step(self, user_id: int, session_id: int, from_step: int) -> Session:
        """Move on from ``from_step`` (a second press on the same step changes nothing)."""
        await self.require(user_id, session_id, Relation.FACILITATOR, "step")
        now = self._clock.now()
        if from_step >= len(STEPS):
            moved = await self._store.finish(session_id, from_step, now)
        else:
            moved = await self._store.advance(session_id, from_step, now)
        if not moved:
            raise CodevError("stale_step")
        return await self._reread(session_id)

    async def step_alerts(self) -> list[Session]:
        """Running sessions whose current step was not alerted yet (for the job)."""
        return await self._store.step_alerts()

    async def claim_step_alert(self, session_id: int) -> Session | None:
        """The session if its current time box is over and nobody alerted yet."""
        session = await self._store.get(session_id)
        if session is None or session.status is not S.RUNNING or session.step_ends_at is None:
            return None
        if session.step_ends_at > self._clock.now():
            return None
        return session if await self._store.claim_step_alert(session_id, session.step) else None

    # -- attendance -------------------------------------------------------------------------

    async def attendance(self, session_id: int) -> set[int]:
        """Who was there (callers checked access)."""
        return await self._store.attendance(session_id)

    async def toggle_attendance(self, user_id: int, session_id: int, person: int) -> set[int]:
        """The facilitator corrects who was there."""
        session, group, _ = await self.require(user_id, session_id, Relation.FACILITATOR, "attend")
        if session.status is not S.HELD or person not in await self._groups.member_ids(group.id):
            raise CodevError("session_state")
        await self._store.toggle_attendance(session_id, person)
        return await self._store.attendance(session_id)

    # -- reminders --------------------------------------------------------------------------

    async def reminders(self) -> list[tuple[int, str, datetime]]:
        """Reminders still to send: (session, kind, due)."""
        return await self._store.reminders()

    async def claim_reminder(self, session_id: int, kind: str) -> Session | None:
        """The session if its ``kind`` reminder is due and nobody sent it yet."""
        if not await self._store.claim_reminder(session_id, kind, self._clock.now()):
            return None
        session = await self._store.get(session_id)
        return session if session and session.status is S.SCHEDULED else None

    async def _reread(self, session_id: int) -> Session:
        session = await self._store.get(session_id)
        if session is None:
            raise CodevDenied()
        return session
