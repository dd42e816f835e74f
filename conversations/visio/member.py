"""/visio for members: the next session, the ballot, proposed topics, history, RSVP, calendar."""

from __future__ import annotations

from dataclasses import replace

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import MaillageContext
from bot.domain.members import Member
from bot.domain.visio import Session, SessionStatus, VisioError
from bot.i18n import Translator
from conversations.common import keyboard, member_only, say, unpack_press
from conversations.visio.replies import accept, fields, refuse, say_parts
from schedules.visio import messages as m
from schedules.visio.buttons import ATTEND, ICS, MENU, RSVP
from schedules.visio.feedback import satisfaction

VISIO_COMMANDS = ["visio"]


def _phase(t: Translator, session: Session) -> str:
    if session.status is SessionStatus.PLANNED and session.vote_opens_at is not None:
        return t("visio.menu.planned", opens=t.datetime(session.vote_opens_at))
    if session.status is SessionStatus.VOTING and session.vote_closes_at is not None:
        return t("visio.menu.voting", closes=t.datetime(session.vote_closes_at))
    return t("visio.menu.scheduled", title=m.title_of(t, session))


async def show_menu(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The next session, the member's answer, and what they can do."""
    visio = context.services.visio
    session = await visio.cycle.next_session()
    rows = [[(str(t("visio.button.propose")), MENU.pack(item="propose"))]]
    if session is None:
        text = m.lines(t("visio.menu.title"), t("visio.menu.none"))
    else:
        answer = await visio.attendance.answer_of(session.id, member.user_id)
        text = m.lines(
            t("visio.menu.title"),
            t("visio.menu.next", when=t.datetime(session.starts_at)),
            _phase(t, session),
            t(f"visio.menu.rsvp_{answer}") if answer else "",
        )
        if session.status is SessionStatus.VOTING:
            rows.append([(str(t("visio.button.ballot")), MENU.pack(item="ballot"))])
        if session.status is SessionStatus.SCHEDULED:
            rows += m.rsvp_rows(t, session)
    rows.append(
        [
            (str(t("visio.button.backlog")), MENU.pack(item="backlog")),
            (str(t("visio.button.history")), MENU.pack(item="history")),
        ]
    )
    await say(update, text, keyboard(rows))


@member_only()
async def visio_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/visio."""
    await show_menu(update, context, member, t)


async def send_ballots(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The member's own ballot for every open vote, ticks included."""
    ballots = context.services.visio.ballots
    sessions = await ballots.open_votes()
    if not sessions:
        await say(update, t("visio.error.vote_closed"))
    for session in sessions:
        view = await ballots.view(session.id, member.user_id)
        await say(update, m.ballot_text(t, view), keyboard(m.ballot_rows(t, view)))


async def send_history(update: Update, context: MaillageContext, t: Translator) -> None:
    """The sessions of the year with their figures (satisfaction only above k answers)."""
    services = context.services
    entries = [
        replace(entry, satisfaction=await satisfaction(services, entry.session))
        for entry in await services.visio.attendance.history()
    ]
    await say_parts(update, m.history(t, entries, services.clock.now()))


@member_only()
async def on_menu(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A /visio button: my ballot, the proposed topics, the history."""
    values = await unpack_press(update, t, MENU, fields(item=("ballot", "backlog", "history")))
    if values is None:
        return
    item = values["item"]
    await accept(update)
    if item == "ballot":
        await send_ballots(update, context, member, t)
    elif item == "backlog":
        await say_parts(update, [m.backlog(t, await context.services.visio.topics.backlog())])
    else:
        await send_history(update, context, t)


async def send_calendar(
    update: Update, context: MaillageContext, t: Translator, session_id: int
) -> None:
    """The session's .ics file (its update, or its cancellation)."""
    session, data = await context.services.visio.attendance.calendar_file(
        session_id, str(t("visio.change.withdrawn"))
    )
    message = update.effective_message
    assert message is not None
    document = m.calendar_document(t, session, data)
    await message.chat.send_document(
        InputFile(document.data, filename=document.filename), caption=document.caption
    )


@member_only()
async def on_calendar(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """📅: send the calendar file."""
    values = await unpack_press(update, t, ICS, fields(session=None))
    if values is None:
        return
    try:
        await send_calendar(update, context, t, int(values["session"]))
    except VisioError as error:
        await refuse(update, t, error)
        return
    await accept(update)


@member_only()
async def on_rsvp(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """I'll be there (and the calendar file) / I can't (no more reminders)."""
    values = await unpack_press(update, t, RSVP, fields(session=None, answer=("yes", "no")))
    if values is None:
        return
    session_id, coming = int(values["session"]), values["answer"] == "yes"
    try:
        await context.services.visio.attendance.rsvp(session_id, member.user_id, coming)
    except VisioError as error:
        await refuse(update, t, error)
        return
    await accept(update)
    await say(update, t("visio.rsvp.yes" if coming else "visio.rsvp.no"))
    if coming:
        await send_calendar(update, context, t, session_id)


@member_only()
async def on_attend(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """After the session: "I attended" or "I could not come"."""
    values = await unpack_press(
        update, t, ATTEND, fields(session=None, answer=("attended", "absent"))
    )
    if values is None:
        return
    attended = values["answer"] == "attended"
    try:
        await context.services.visio.attendance.attend(
            int(values["session"]), member.user_id, attended
        )
    except VisioError as error:
        await refuse(update, t, error)
        return
    await accept(update)
    await say(update, t("visio.feedback.attended" if attended else "visio.feedback.absent"))


def build() -> list[BaseHandler]:
    """Members' visio handlers (proposing a topic is in ``inputs``)."""
    return [
        CommandHandler(VISIO_COMMANDS, visio_command),
        CallbackQueryHandler(on_menu, pattern=MENU.pattern),
        CallbackQueryHandler(on_calendar, pattern=ICS.pattern),
        CallbackQueryHandler(on_rsvp, pattern=RSVP.pattern),
        CallbackQueryHandler(on_attend, pattern=ATTEND.pattern),
    ]
