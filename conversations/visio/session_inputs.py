"""Typed changes to one coming session: its new date (⏩) or its own link (🔗)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.visio import Session
from bot.i18n import Translator
from conversations.common import member_only, say
from conversations.visio.asking import RowQuestions, answer, begin_about_row, done, pending_ref
from schedules.visio import arm, publish
from schedules.visio.buttons import SESSION_ACTION

SESSION_QUESTIONS: RowQuestions[Session] = {
    "postpone": ("postpone", lambda t, _: t("visio.sessions.ask_date", zone=str(t.timezone))),
    "link": ("session_link", lambda t, _: t("visio.sessions.ask_link")),
}


@member_only(Role.ANIMATOR, "visio_session_input")
async def start_session_input(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """⏩ or 🔗 on a session: ask for the new date or its link."""
    cycle = context.services.visio.cycle
    return await begin_about_row(
        update, context, member, t, SESSION_ACTION, "session", cycle.session, SESSION_QUESTIONS
    )


@answer("postpone", Role.ANIMATOR)
async def on_postpone(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """A session's new date: members told, reminders moved."""
    services = context.services
    session_id = await pending_ref(context, member, "postpone")
    notices = await services.visio.cycle.postpone(session_id, text or "")
    await publish(context.application, services, notices)
    await arm(context.application, services)
    await say(update, t("visio.sessions.postponed", when=t.datetime(notices[0].session.starts_at)))
    return await done(context, member)


@answer("session_link", Role.ANIMATOR)
async def on_session_link(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """One session's own link."""
    session_id = await pending_ref(context, member, "session_link")
    session = await context.services.visio.cycle.set_session_link(session_id, text or "")
    await say(update, t("visio.sessions.link_saved", link=session.link))
    return await done(context, member)


ANSWERS: dict[str, Callable[..., Any]] = {"postpone": on_postpone, "session_link": on_session_link}
