"""The monthly cycle: settings, planning, the timed steps, one-off sessions, postpone, cancel.

Every due time is a row (``visio_steps``). The scheduler asks for the next due step of a
session, publishes the notices :meth:`CycleService.run_step` returns, then marks the step
done: a step re-run after a crash repeats its messages rather than losing them, and its
state change (opening a ballot, closing a vote) is never applied twice.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.datetime_input import parse_datetime_input
from bot.domain.members import Role
from bot.domain.segment_members import Segments
from bot.domain.segments import Segment, SegmentField
from bot.domain.visio.inputs import clean_link, clean_title, parse_reminders, parse_windows
from bot.domain.visio.model import (
    MAX_BALLOT,
    REMIND_PREFIX,
    DueStep,
    Session,
    SessionKind,
    SessionStatus,
    Step,
    TopicStatus,
    VisioError,
    VisioSettings,
)
from bot.domain.visio.notices import (
    ANIMATOR_NOTICES,
    TIME_CRITICAL,
    URGENT_WITHIN,
    Notice,
    NoticeKind,
)
from bot.domain.visio.plan import AFTER_STEPS, after_steps, monthly_session, next_starts
from bot.domain.visio.slot import clean_rule, parse_rule_line
from bot.domain.visio.tally import tally
from bot.storage.visio import (
    AttendanceStore,
    BallotStore,
    SessionStore,
    SettingsStore,
    TopicStore,
)

MIN_DURATION, MAX_DURATION = 30, 480
ANIMATORS = Segment(SegmentField.ROLE, Role.ANIMATOR.value)


class CycleService:
    """Runs the sessions' steps and the animators' changes to them."""

    def __init__(
        self,
        settings: SettingsStore,
        sessions: SessionStore,
        topics: TopicStore,
        ballots: BallotStore,
        attendance: AttendanceStore,
        segments: Segments,
        clock: Clock,
        zone: ZoneInfo,
    ) -> None:
        self._settings = settings
        self._sessions = sessions
        self._topics = topics
        self._ballots = ballots
        self._attendance = attendance
        self._segments = segments
        self._clock = clock
        self._zone = zone
        self.lock = asyncio.Lock()
        """Held while steps run and while animators change sessions, so they never interleave."""

    # -- settings ---------------------------------------------------------------------------

    async def settings(self) -> VisioSettings:
        """The network's current settings."""
        return await self._settings.get()

    async def set_slot(self, rule: str, start: time, duration: int) -> VisioSettings:
        """Set the recurring slot (any monthly or weekly RFC 5545 rule) and re-plan."""
        if not MIN_DURATION <= duration <= MAX_DURATION:
            raise VisioError("bad_duration")
        anchor = self._clock.now().astimezone(self._zone).date()
        cleaned = clean_rule(rule, start, anchor)
        return await self._change(
            replan=True, rule=cleaned, start=start, duration=duration, anchor=anchor
        )

    async def set_typed_slot(self, text: str) -> VisioSettings:
        """Set the slot from a typed ``<RRULE> <HH:MM> [minutes]`` line."""
        anchor = self._clock.now().astimezone(self._zone).date()
        rule, start, duration = parse_rule_line(text, anchor)
        return await self.set_slot(rule, start, duration)

    async def set_link(self, text: str) -> VisioSettings:
        """Set the fixed video room (an http(s) link)."""
        return await self._change(replan=False, link=clean_link(text))

    async def set_windows(self, text: str) -> VisioSettings:
        """Set the proposal and vote windows (``21 14 7``) and re-plan."""
        proposal, vote_open, vote_close = parse_windows(text)
        return await self._change(
            replan=True,
            proposal_days=proposal,
            vote_open_days=vote_open,
            vote_close_days=vote_close,
        )

    async def set_reminders(self, text: str) -> VisioSettings:
        """Set the reminders (``7j 1j 1h``) and re-plan every session to come."""
        reminders = parse_reminders(text)
        settings = await self._change(replan=True, reminders=reminders)
        now = self._clock.now()
        async with self.lock:
            for session in await self._sessions.ending_after(now):
                live = session.status in (SessionStatus.VOTING, SessionStatus.SCHEDULED)
                if live and session.starts_at > now:
                    await self._rebuild_after_steps(session, settings, now)
        return settings

    async def set_group(self, chat_id: int | None) -> VisioSettings:
        """Make this group chat the network's (None: no group chat)."""
        return await self._change(replan=False, group_chat_id=chat_id)

    async def _change(self, *, replan: bool, **changes: object) -> VisioSettings:
        now = self._clock.now()
        async with self.lock:
            settings = await self._settings.update(now, **changes)
            if replan:
                await self._sessions.delete_planned(now)
        await self.plan()
        return settings

    # -- planning ---------------------------------------------------------------------------

    async def plan(self) -> list[Session]:
        """Create the next monthly sessions (with their steps) that do not exist yet."""
        settings = await self._settings.get()
        now = self._clock.now()
        created = []
        async with self.lock:
            for starts in next_starts(settings, self._zone, now):
                session, steps = monthly_session(starts, settings, self._zone)
                stored = await self._sessions.create(session, steps, now, occurrence=starts)
                if stored is not None:
                    created.append(stored)
        return created

    async def due_times(self) -> list[tuple[int, datetime]]:
        """Each session with steps to run and when the next one is due."""
        return await self._sessions.next_due_times()

    async def next_due_step(self, session_id: int) -> DueStep | None:
        """The session's earliest step due now and not done."""
        return await self._sessions.next_due_step(session_id, self._clock.now())

    async def complete_step(self, step: DueStep, sent: bool) -> None:
        """Mark the step done once its notices are out."""
        outcome = "sent" if sent else "skipped"
        await self._sessions.complete_step(step.session_id, step.name, outcome, self._clock.now())

    # -- steps ------------------------------------------------------------------------------

    async def run_step(self, step: DueStep) -> list[Notice]:
        """Apply the step's change once and return what must be told (again, after a crash)."""
        session = await self._sessions.get(step.session_id)
        if session is None:
            return []
        if step.name.startswith(REMIND_PREFIX):
            return await self._remind(session, step)
        runners = {
            Step.CALL: self._call,
            Step.CHECK: self._check,
            Step.VOTE_OPEN: self._open_vote,
            Step.VOTE_CLOSE: self._close_vote,
            Step.FEEDBACK: self._feedback,
            Step.REPORT: self._report,
        }
        return await runners[Step(step.name)](session)

    async def _notice(self, kind: NoticeKind, session: Session, **extra: object) -> Notice:
        audience = await self._audience(kind, session)
        link = session.link or (await self._settings.get()).link
        previous = extra.get("previous_start")
        start = min(session.starts_at, previous) if isinstance(previous, datetime) else None
        soon = (start or session.starts_at) - self._clock.now() <= URGENT_WITHIN
        urgent = kind in TIME_CRITICAL and soon
        return Notice(kind, session, tuple(audience), link, urgent=urgent, **extra)  # type: ignore[arg-type]

    async def _audience(self, kind: NoticeKind, session: Session) -> list[int]:
        if kind in ANIMATOR_NOTICES:
            return await self._segments.member_ids(ANIMATORS)
        members = await self._segments.member_ids(Segment())
        if kind in (NoticeKind.REMINDER, NoticeKind.FEEDBACK):
            declined = await self._attendance.declined(session.id)
            return [m for m in members if m not in declined]
        return members

    async def _call(self, session: Session) -> list[Notice]:
        if session.status is not SessionStatus.PLANNED:
            return []
        backlog = await self._topics.count_open()
        return [await self._notice(NoticeKind.CALL, session, backlog=backlog)]

    async def _check(self, session: Session) -> list[Notice]:
        if session.status is not SessionStatus.PLANNED or await self._topics.count_open():
            return []
        return [await self._notice(NoticeKind.EMPTY, session)]

    async def _open_vote(self, session: Session) -> list[Notice]:
        if session.status is SessionStatus.PLANNED:
            options = await self._topics.open_topics(MAX_BALLOT)
            now = self._clock.now()
            if not options:
                session = await self._sessions.update(
                    session.id, now, status=SessionStatus.NO_TOPIC
                )
                await self._sessions.skip_pending(session.id, now)
                return [await self._notice(NoticeKind.NO_TOPIC, session)]
            await self._ballots.freeze(session.id, [topic.id for topic in options])
            session = await self._sessions.update(session.id, now, status=SessionStatus.VOTING)
        if session.status is not SessionStatus.VOTING:
            return []
        ballot = tuple(await self._ballots.options(session.id))
        return [await self._notice(NoticeKind.BALLOT, session, ballot=ballot)]

    async def _close_vote(self, session: Session) -> list[Notice]:
        options = await self._ballots.options(session.id)
        if session.status is SessionStatus.VOTING:
            approvals, voters = await self._ballots.approvals(session.id)
            result = tally(options, approvals, voters)
            now = self._clock.now()
            await self._ballots.record_counts(
                session.id, {c.topic.id: c.votes for c in result.ranking}
            )
            await self._topics.set_status([result.winner.id], TopicStatus.CHOSEN, now)
            session = await self._sessions.update(
                session.id,
                now,
                status=SessionStatus.SCHEDULED,
                title=result.winner.title,
                description=result.winner.description,
                topic_id=result.winner.id,
                voters=voters,
            )
        counts = await self._ballots.recorded_counts(session.id)
        if session.status is not SessionStatus.SCHEDULED or counts is None:
            return []
        result = tally(options, counts, session.voters or 0)
        return [await self._notice(NoticeKind.RESULT, session, tally=result)]

    async def _remind(self, session: Session, step: DueStep) -> list[Notice]:
        now = self._clock.now()
        if session.status is not SessionStatus.SCHEDULED or session.starts_at <= now:
            return []
        later = [
            s
            for s in await self._sessions.pending_steps(session.id)
            if s.name.startswith(REMIND_PREFIX) and step.due_at < s.due_at <= now
        ]
        if later:  # the bot was down: only the latest reminder due is worth sending
            return []
        return [await self._notice(NoticeKind.REMINDER, session)]

    async def _feedback(self, session: Session) -> list[Notice]:
        if session.status is not SessionStatus.SCHEDULED:
            return []
        return [await self._notice(NoticeKind.FEEDBACK, session)]

    async def _report(self, session: Session) -> list[Notice]:
        if session.status is not SessionStatus.SCHEDULED:
            return []
        summary = await self._attendance.summary(session.id)
        return [await self._notice(NoticeKind.REPORT, session, attendance=summary)]

    # -- animators' changes -----------------------------------------------------------------

    async def create_oneoff(self, title: str, when: str) -> list[Notice]:
        """A session outside the cycle: invitation now, then reminders and feedback."""
        clean = clean_title(title)
        starts = self._future(when)
        settings = await self._settings.get()
        now = self._clock.now()
        ends = starts + timedelta(minutes=settings.duration)
        draft = Session(0, SessionKind.ONEOFF, SessionStatus.SCHEDULED, starts, ends, title=clean)
        steps = after_steps(starts, ends, settings.reminders, self._zone, now)
        async with self.lock:
            session = await self._sessions.create(draft, steps, now)
        assert session is not None
        return [await self._notice(NoticeKind.INVITATION, session)]

    async def session(self, session_id: int) -> Session | None:
        """One session."""
        return await self._sessions.get(session_id)

    async def upcoming(self) -> list[Session]:
        """Sessions not over yet and still live, soonest first."""
        return [s for s in await self._sessions.ending_after(self._clock.now()) if s.is_live]

    async def next_session(self) -> Session | None:
        """The next session members can look forward to, if any."""
        upcoming = await self.upcoming()
        return upcoming[0] if upcoming else None

    async def postpone(self, session_id: int, when: str) -> list[Notice]:
        """Move a session whose topic is known; reminders and feedback move with it."""
        starts = self._future(when)
        now = self._clock.now()
        async with self.lock:
            session = await self._changeable(session_id)
            if session.status is not SessionStatus.SCHEDULED:
                raise VisioError("not_scheduled")
            moved = await self._sessions.update(
                session.id,
                now,
                starts_at=starts,
                ends_at=starts + (session.ends_at - session.starts_at),
                sequence=session.sequence + 1,
            )
            await self._rebuild_after_steps(moved, await self._settings.get(), now)
        return [await self._notice(NoticeKind.POSTPONED, moved, previous_start=session.starts_at)]

    async def cancel(self, session_id: int) -> list[Notice]:
        """Cancel a session; its topic goes back to the backlog (unless it was withdrawn)."""
        now = self._clock.now()
        async with self.lock:
            session = await self._changeable(session_id)
            cancelled = await self._sessions.update(
                session.id, now, status=SessionStatus.CANCELLED, sequence=session.sequence + 1
            )
            await self._sessions.skip_pending(session.id, now)
            topic = await self._topics.get(session.topic_id) if session.topic_id else None
            if topic is not None:
                back = TopicStatus.OPEN if topic.title else TopicStatus.REJECTED
                await self._topics.set_status([topic.id], back, now)
        return [await self._notice(NoticeKind.CANCELLED, cancelled)]

    async def set_session_link(self, session_id: int, text: str) -> Session:
        """Give one session its own link (instead of the fixed room)."""
        link = clean_link(text)
        async with self.lock:
            session = await self._changeable(session_id)
            return await self._sessions.update(session.id, self._clock.now(), link=link)

    async def record_poll(
        self, session_id: int, chat_id: int, message_id: int, poll_id: str
    ) -> None:
        """The group poll mirroring the ballot was sent."""
        await self._sessions.update(
            session_id,
            self._clock.now(),
            poll_chat_id=chat_id,
            poll_message_id=message_id,
            poll_id=poll_id,
            poll_open=True,
        )

    async def record_feedback(self, session_id: int, campaign_id: int) -> None:
        """The satisfaction questionnaire launched after the session."""
        await self._sessions.update(session_id, self._clock.now(), feedback_campaign=campaign_id)

    async def poll_stopped(self, session_id: int) -> None:
        """The group poll was closed."""
        await self._sessions.update(session_id, self._clock.now(), poll_open=False)

    async def _changeable(self, session_id: int) -> Session:
        session = await self._sessions.get(session_id)
        if session is None:
            raise VisioError("unknown_session")
        if not session.is_live:
            raise VisioError("cancelled")
        if session.ends_at <= self._clock.now():
            raise VisioError("past")
        return session

    def _future(self, when: str) -> datetime:
        return parse_datetime_input(when, self._zone, self._clock.now())

    async def _rebuild_after_steps(
        self, session: Session, settings: VisioSettings, now: datetime
    ) -> None:
        after = max(now, session.vote_closes_at or now)
        steps = after_steps(
            session.starts_at, session.ends_at, settings.reminders, self._zone, after
        )
        await self._sessions.replace_steps(session.id, AFTER_STEPS, steps)
