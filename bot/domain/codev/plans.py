"""After a session: the client's action plan, participants' learnings and the follow-up."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.codev.groups import CodevGroups
from bot.domain.codev.model import (
    ACTION_MAX,
    FOLLOWUP_BEFORE_NEXT,
    LEARNING_MAX,
    LEARNINGS_STEP,
    MAX_ACTIONS,
    NOTE_MAX,
    SYNTHESIS_STEP,
    Action,
    ActionStatus,
    CodevDenied,
    CodevError,
    Group,
    Learning,
    Relation,
    Session,
    SessionStatus,
    clean_text,
)
from bot.domain.codev.sessions import CodevSessions
from bot.domain.datetime_input import DateTimeInputError, parse_date_input
from bot.storage.codev.plans import CodevPlanStore
from bot.storage.codev.sessions import CodevSessionStore


def reached(session: Session, step: int) -> bool:
    """True once the session is at ``step`` or over."""
    running = session.status is SessionStatus.RUNNING and session.step >= step
    return running or session.status is SessionStatus.HELD


class CodevPlans:
    """Commitments with dates, what each participant learned, and how commitments went."""

    def __init__(
        self,
        store: CodevPlanStore,
        sessions_store: CodevSessionStore,
        sessions: CodevSessions,
        groups: CodevGroups,
        clock: Clock,
        zone: ZoneInfo,
    ) -> None:
        self._store = store
        self._sessions_store = sessions_store
        self._sessions = sessions
        self._groups = groups
        self._clock = clock
        self._zone = zone

    async def _as_client(self, user_id: int, session_id: int, action: str) -> tuple[Session, Group]:
        session, group, _ = await self._sessions.require(
            user_id, session_id, Relation.MEMBER, action
        )
        if session.client_id != user_id:
            await self._groups.audit(user_id, action, False, f"session:{session_id}")
            raise CodevDenied()
        return session, group

    # -- action plan ------------------------------------------------------------------------

    async def begin_plan(self, user_id: int, session_id: int) -> Session:
        """The client starts (or restarts) writing their plan from the synthesis step on."""
        session, _ = await self._as_client(user_id, session_id, "plan")
        if session.plan_recorded_at is not None:
            raise CodevError("plan_recorded")
        if not reached(session, SYNTHESIS_STEP):
            raise CodevError("plan_too_early")
        await self._store.drop_undated(session_id)
        return session

    async def add_action(self, user_id: int, session_id: int, text: str | None) -> Action:
        """One more commitment (at most five)."""
        session, _ = await self._as_client(user_id, session_id, "plan")
        if session.plan_recorded_at is not None:
            raise CodevError("plan_recorded")
        value = clean_text(text, ACTION_MAX)
        action_id = await self._store.add_action(session_id, value, MAX_ACTIONS)
        if action_id is None:
            raise CodevError("plan_full", limit=MAX_ACTIONS)
        action = await self._store.action(action_id)
        assert action is not None
        return action

    async def date_action(self, user_id: int, action_id: int, text: str | None) -> Action:
        """The day a commitment is for (today or later; DateTimeInputError otherwise)."""
        action = await self._own_action(user_id, action_id, "plan")
        due = parse_date_input(text or "", self._zone, self._clock.now())
        await self._store.set_due(action_id, due)
        dated = await self._store.action(action.id)
        assert dated is not None
        return dated

    def names_a_day(self, text: str | None) -> bool:
        """True if ``text`` reads as a day, even a past one.

        Such a text is no action: it is the answer to a « pour quand ? », typed again when
        its reply was lost (a crash between the answer and the reply).
        """
        try:
            parse_date_input(text or "", self._zone, self._clock.now())
        except DateTimeInputError as error:
            return error.code != "unparseable"
        return True

    async def finish_plan(self, user_id: int, session_id: int) -> tuple[Session, list[Action]]:
        """Confirm the plan; its follow-up is due N weeks later or before the next session."""
        session, group = await self._as_client(user_id, session_id, "plan")
        await self._store.drop_undated(session_id)
        actions = await self._store.actions(session_id)
        if not actions:
            raise CodevError("plan_empty")
        now = self._clock.now()
        due = now + timedelta(weeks=group.followup_weeks)
        next_start = await self._sessions_store.next_start(group.id, now)
        if next_start is not None:
            due = max(now, min(due, next_start - FOLLOWUP_BEFORE_NEXT))
        if not await self._sessions_store.record_plan(session_id, now, due):
            raise CodevError("plan_recorded")
        return session, actions

    async def actions(self, session_id: int) -> list[Action]:
        """The plan's commitments (callers checked access)."""
        return await self._store.actions(session_id)

    # -- learnings --------------------------------------------------------------------------

    async def may_learn(self, user_id: int, session_id: int) -> Session:
        """Check a participant may record a learning now (from the learnings step on)."""
        session, _, _ = await self._sessions.require(
            user_id, session_id, Relation.MEMBER, "learning"
        )
        if not reached(session, LEARNINGS_STEP):
            raise CodevError("learning_too_early")
        return session

    async def learn(self, user_id: int, session_id: int, text: str | None) -> Learning:
        """Record (or replace) what the person learned."""
        await self.may_learn(user_id, session_id)
        value = clean_text(text, LEARNING_MAX)
        await self._store.set_learning(session_id, user_id, value, self._clock.now())
        return Learning(session_id, user_id, value)

    async def learnings(self, session_id: int) -> list[Learning]:
        """What participants learned (callers checked access)."""
        return await self._store.learnings(session_id)

    # -- follow-up --------------------------------------------------------------------------

    async def followups(self) -> list[tuple[int, datetime]]:
        """Plans whose follow-up was not asked yet (for the job)."""
        return await self._sessions_store.followups()

    async def claim_followup(self, session_id: int) -> Session | None:
        """The session if its follow-up is due and was not asked yet."""
        if not await self._sessions_store.claim_followup(session_id, self._clock.now()):
            return None
        return await self._sessions_store.get(session_id)

    async def followup(self, user_id: int, session_id: int) -> list[Action]:
        """The commitments the client is asked about."""
        session, _ = await self._as_client(user_id, session_id, "followup")
        if session.plan_recorded_at is None:
            raise CodevError("plan_empty")
        return await self._store.actions(session_id)

    async def record_status(self, user_id: int, action_id: int, status: ActionStatus) -> Action:
        """How one commitment went."""
        action = await self._own_action(user_id, action_id, "followup")
        await self._store.answer(action_id, status, None, self._clock.now())
        answered = await self._store.action(action.id)
        assert answered is not None
        return answered

    async def note(self, user_id: int, action_id: int, text: str | None) -> Action:
        """A word on how a commitment went (None: nothing to add)."""
        action = await self._own_action(user_id, action_id, "followup")
        await self._store.set_note(action_id, clean_text(text, NOTE_MAX) if text else None)
        noted = await self._store.action(action.id)
        assert noted is not None
        return noted

    async def complete_followup(self, session_id: int) -> bool:
        """True the first time every commitment of the plan has an answer."""
        actions = await self._store.actions(session_id)
        if not actions or any(a.status is None for a in actions):
            return False
        return await self._sessions_store.followup_done(session_id, self._clock.now())

    async def _own_action(self, user_id: int, action_id: int, action: str) -> Action:
        found = await self._store.action(action_id)
        if found is None:
            await self._groups.audit(user_id, action, False, f"action:{action_id}")
            raise CodevDenied()
        await self._as_client(user_id, found.session_id, action)
        return found
