"""RSVPs, declared attendance, the calendar file and the year's history."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.calendar import CalendarEvent, to_ics
from bot.clock import Clock
from bot.domain.visio.model import Attendance, HistoryEntry, Session, VisioError
from bot.domain.visio.slot import to_utc
from bot.storage.visio import AttendanceStore, SessionStore, SettingsStore


class AttendanceService:
    """Who comes and who came."""

    def __init__(
        self,
        sessions: SessionStore,
        attendance: AttendanceStore,
        settings: SettingsStore,
        clock: Clock,
        zone: ZoneInfo,
    ) -> None:
        self._sessions = sessions
        self._attendance = attendance
        self._settings = settings
        self._clock = clock
        self._zone = zone

    async def rsvp(self, session_id: int, user_id: int, coming: bool) -> Session:
        """Answer "I will be there" or "I cannot come", until the session starts."""
        session = await self._live(session_id)
        if session.starts_at <= self._clock.now():
            raise VisioError("past")
        await self._attendance.set_answer(
            session.id, user_id, "yes" if coming else "no", self._clock.now()
        )
        return session

    async def attend(self, session_id: int, user_id: int, attended: bool) -> Session:
        """After the session: "I attended" or "I could not come"."""
        session = await self._live(session_id)
        if session.ends_at > self._clock.now():
            raise VisioError("not_over")
        await self._attendance.set_attended(session.id, user_id, attended, self._clock.now())
        return session

    async def summary(self, session_id: int) -> Attendance:
        """RSVPs, attendance and feedback of a session."""
        return await self._attendance.summary(session_id)

    async def answer_of(self, session_id: int, user_id: int) -> str | None:
        """The member's RSVP ('yes', 'no' or None)."""
        return await self._attendance.answer_of(session_id, user_id)

    async def history(self, year: int | None = None) -> list[HistoryEntry]:
        """Every session of the (local) calendar year, with its figures."""
        year = year or self._clock.now().astimezone(self._zone).year
        start = to_utc(datetime(year, 1, 1), self._zone)
        end = to_utc(datetime(year + 1, 1, 1), self._zone)
        return [
            HistoryEntry(session, await self._attendance.summary(session.id))
            for session in await self._sessions.between(start, end)
        ]

    async def calendar_file(self, session_id: int, withdrawn: str = "") -> tuple[Session, bytes]:
        """The session as an .ics file: its current time, or its cancellation.

        ``withdrawn`` names a session whose topic's author erased their data (empty title).
        """
        session = await self._sessions.get(session_id)
        if session is None or session.title is None:
            raise VisioError("expired")
        link = session.link or (await self._settings.get()).link
        description = "\n\n".join(part for part in (session.description, link) if part)
        event = CalendarEvent(
            uid=f"visio-{session.id}@maillage",
            title=session.title or withdrawn,
            start=session.starts_at,
            end=session.ends_at,
            timezone=self._zone,
            description=description,
            location=link,
            url=link,
            sequence=session.sequence,
            cancelled=not session.is_live,
        )
        return session, to_ics(event, self._clock.now())

    async def _live(self, session_id: int) -> Session:
        session = await self._sessions.get(session_id)
        if session is None or session.title is None:
            raise VisioError("expired")
        if not session.is_live:
            raise VisioError("cancelled")
        return session
