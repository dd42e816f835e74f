"""The coming sessions for animators: their list, a session's card, cancelling one."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.visio import Session, SessionStatus, VisioError
from bot.i18n import Translator
from conversations.common import close_buttons, keyboard, member_only, say, unpack_press
from conversations.visio.listing import say_listed
from conversations.visio.replies import accept, fields, pressed_row, refuse
from schedules.visio import arm, publish
from schedules.visio import messages as m
from schedules.visio.buttons import CANCEL, SESSION, SESSION_ACTION


def status_text(t: Translator, session: Session) -> str:
    """A session's status in the member's language."""
    return t(f"visio.status.{session.status}")


async def show_sessions(update: Update, context: MaillageContext, t: Translator) -> None:
    """The coming sessions as buttons."""
    await say_listed(
        update,
        await context.services.visio.cycle.upcoming(),
        lambda s: (
            t(
                "visio.sessions.button",
                day=m.local(t, s.starts_at, "short"),
                title=m.title_of(t, s),
            ),
            SESSION.pack(session=s.id),
        ),
        t("visio.sessions.title"),
        t("visio.sessions.empty"),
    )


@member_only(Role.ANIMATOR, "visio_session")
async def on_session(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """A session's card: postpone, cancel, give it its own link."""
    visio = context.services.visio
    pressed = await pressed_row(update, t, SESSION, "session", visio.cycle.session)
    if pressed is None:
        return
    _, session = pressed
    await accept(update)
    figures = await visio.attendance.summary(session.id)
    text = t(
        "visio.sessions.card",
        title=m.title_of(t, session),
        when=t.datetime(session.starts_at),
        status=status_text(t, session),
        yes=figures.yes,
        no=figures.no,
    )
    actions = ["link", "cancel"]
    if session.status is SessionStatus.SCHEDULED:
        actions.insert(0, "postpone")
    rows = [
        [(str(t(f"visio.sessions.{a}_button")), SESSION_ACTION.pack(session=session.id, action=a))]
        for a in actions
    ]
    await say(update, text, keyboard(rows))


@member_only(Role.ANIMATOR, "visio_cancel_ask")
async def on_cancel_ask(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Ask before cancelling a session."""
    cycle = context.services.visio.cycle
    pressed = await pressed_row(
        update, t, SESSION_ACTION, "session", cycle.session, action=("cancel",)
    )
    if pressed is None:
        return
    _, session = pressed
    await accept(update)
    text = t(
        "visio.sessions.confirm_cancel",
        title=m.title_of(t, session),
        when=t.datetime(session.starts_at),
    )
    rows = [
        [
            (str(t("visio.sessions.confirm_yes")), CANCEL.pack(session=session.id, answer="yes")),
            (str(t("visio.sessions.confirm_no")), CANCEL.pack(session=session.id, answer="no")),
        ]
    ]
    await say(update, text, keyboard(rows))


@member_only(Role.ANIMATOR, "visio_cancel")
async def on_cancel(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Cancel the session (members told, calendar file updated) or keep it."""
    values = await unpack_press(update, t, CANCEL, fields(session=None, answer=("yes", "no")))
    if values is None:
        return
    if values["answer"] == "no":
        await close_buttons(update, t("visio.sessions.kept"))
        return
    services = context.services
    try:
        notices = await services.visio.cycle.cancel(int(values["session"]))
    except VisioError as error:
        await refuse(update, t, error)
        return
    await publish(context.application, services, notices)
    await close_buttons(update, t("visio.sessions.cancelled"))
    await arm(context.application, services)


def build() -> list[BaseHandler]:
    """The coming sessions' buttons."""
    return [
        CallbackQueryHandler(on_session, pattern=SESSION.pattern),
        CallbackQueryHandler(on_cancel_ask, pattern=SESSION_ACTION.pattern),
        CallbackQueryHandler(on_cancel, pattern=CANCEL.pattern),
    ]
