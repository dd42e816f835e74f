"""The visio feature as one service: its parts, pending inputs and personal data."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.membership import MembershipService
from bot.domain.segment_members import Segments
from bot.domain.visio.attendance import AttendanceService
from bot.domain.visio.ballots import BallotService
from bot.domain.visio.cycle import CycleService
from bot.domain.visio.topics import TopicService
from bot.storage.db import Database
from bot.storage.pending_inputs import InputStore, PendingInput
from bot.storage.visio import (
    AttendanceStore,
    BallotStore,
    SessionStore,
    SettingsStore,
    TopicStore,
)


class VisioService:
    """Monthly sessions: ``cycle``, ``topics``, ``ballots`` and ``attendance``.

    Also a personal data source: topics proposed, votes, RSVPs and feedback.
    """

    name = "visio"

    def __init__(
        self,
        db: Database,
        clock: Clock,
        zone: ZoneInfo,
        segments: Segments,
        members: MembershipService,
    ) -> None:
        settings, sessions, topics = SettingsStore(db), SessionStore(db), TopicStore(db)
        ballots, attendance = BallotStore(db), AttendanceStore(db)
        self._topic_store = topics
        self._ballot_store = ballots
        self._attendance_store = attendance
        self._inputs = InputStore(db, "visio_inputs")
        self._clock = clock
        self.cycle = CycleService(
            settings, sessions, topics, ballots, attendance, segments, clock, zone
        )
        self.topics = TopicService(topics, ballots, clock)
        self.ballots = BallotService(sessions, ballots, members, clock)
        self.attendance = AttendanceService(sessions, attendance, settings, clock, zone)

    async def expect_input(
        self, user_id: int, kind: str, ref: int | None = None, draft: str | None = None
    ) -> None:
        """Remember what the member's next message answers (and what they typed so far)."""
        await self._inputs.set(user_id, PendingInput(kind, ref, draft), self._clock.now())

    async def pending_input(self, user_id: int) -> PendingInput | None:
        """What the member's next message answers, if anything."""
        return await self._inputs.get(user_id)

    async def input_done(self, user_id: int) -> None:
        """The member's pending input was answered or abandoned."""
        await self._inputs.clear(user_id)

    async def export_personal_data(self, user_id: int) -> dict[str, Any]:
        """Topics the member proposed, their votes, RSVPs and feedback."""
        topics = await self._topic_store.by_author(user_id)
        return {
            "topics": [
                {"id": t.id, "title": t.title, "description": t.description, "status": t.status}
                for t in topics
            ],
            "votes": await self._ballot_store.votes_of(user_id),
            "attendance": await self._attendance_store.rows_of(user_id),
        }

    async def erase_personal_data(self, user_id: int) -> None:
        """Withdraw the member's topics (their text goes), drop their votes and input."""
        await self._topic_store.erase_author(user_id, self._clock.now())
        await self._ballot_store.erase(user_id)
        await self._attendance_store.erase(user_id)
        await self._inputs.clear(user_id)
