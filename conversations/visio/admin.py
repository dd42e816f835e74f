"""/sessions for animators: settings, the slot wizard, topics, coming sessions, cancel, group.

Typed answers (links, windows, dates, reasons…) are in ``inputs``; every button here is
re-checked with ``member_only(Role.ANIMATOR)``, which audits refusals.
"""

from __future__ import annotations

from datetime import time

from babel.dates import format_time
from markupsafe import escape
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.visio import Session, SessionStatus, VisioError, VisioSettings
from bot.domain.visio.slot import ORDINALS, WEEKDAYS, preset_of, preset_rule
from bot.i18n import Translator
from conversations.common import (
    close_buttons,
    keyboard,
    member_only,
    replace_with,
    say,
    unpack_press,
)
from conversations.visio.member import send_history
from conversations.visio.replies import accept, fields, pressed_row, refuse, tell_author
from schedules.visio import arm, publish
from schedules.visio import messages as m
from schedules.visio.buttons import (
    ADMIN,
    CANCEL,
    MERGE,
    SESSION,
    SESSION_ACTION,
    SLOT,
    TOPIC,
    TOPIC_ACTION,
    UNSET,
)

SESSIONS_COMMANDS = ["sessions"]
GROUP_COMMANDS = ["groupe_visio", "visio_group"]
TIMES = [time(hour, minute) for hour in range(8, 19) for minute in (0, 30)][:-1]
DURATIONS = (60, 90, 120, 180)
MAX_LISTED = 40
"""Topics or sessions listed as buttons at once."""


def clock(t: Translator, value: time) -> str:
    """A time of day in the member's language (14 h 00 / 14:00)."""
    return format_time(value, str(t("visio.format.time")), locale=t.language)


def slot_text(t: Translator, settings: VisioSettings) -> str:
    """The slot as animators read it: the 2nd Tuesday of the month, or the rule itself."""
    assert settings.rule is not None
    preset = preset_of(settings.rule)
    if preset is None:
        return t("visio.slot.rule", rule=settings.rule)
    ordinal, day = preset
    return t(
        "visio.slot.preset",
        ordinal=t(f"visio.slot.ordinal.{ordinal}"),
        day=t(f"visio.slot.day.{day}"),
    )


def slot_line(t: Translator, settings: VisioSettings, key: str = "visio.admin.slot") -> str:
    """The slot with its start and end times, in the catalog text ``key``."""
    end_minutes = settings.start.hour * 60 + settings.start.minute + settings.duration
    end = time((end_minutes // 60) % 24, end_minutes % 60)
    return t(key, slot=slot_text(t, settings), start=clock(t, settings.start), end=clock(t, end))


def _status(t: Translator, session: Session) -> str:
    return t(f"visio.status.{session.status}")


async def show_panel(update: Update, context: MaillageContext, t: Translator) -> None:
    """The settings, the next session and the animators' buttons."""
    services = context.services
    settings = await services.visio.cycle.settings()
    group = (
        await services.group_chats.get(settings.group_chat_id) if settings.group_chat_id else None
    )
    session = await services.visio.cycle.next_session()
    text = m.lines(
        t("visio.admin.title"),
        slot_line(t, settings) if settings.rule else t("visio.admin.no_slot"),
        t("visio.admin.link", link=settings.link) if settings.link else t("visio.admin.no_link"),
        t(
            "visio.admin.windows",
            proposal=settings.proposal_days,
            opens=settings.vote_open_days,
            closes=settings.vote_close_days,
        ),
        t("visio.admin.reminders", reminders=m.reminders(t, settings.reminders))
        if settings.reminders
        else t("visio.admin.no_reminders"),
        t("visio.admin.group", title=group.title) if group else t("visio.admin.no_group"),
        t("visio.admin.next", when=t.datetime(session.starts_at), status=_status(t, session))
        if session
        else "",
    )
    items = [
        ("slot", "link"),
        ("windows", "reminders"),
        ("topics", "oneoff"),
        ("upcoming", "history"),
    ]
    rows = [
        [(str(t(f"visio.admin.{item}_button")), ADMIN.pack(item=item)) for item in row]
        for row in items
    ]
    await say(update, text, keyboard(rows))


@member_only(Role.ANIMATOR, "visio_sessions")
async def sessions_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/sessions."""
    await show_panel(update, context, t)


def _slot_rows(t: Translator, ordinal: str, day: str, start: str) -> m.Rows:
    """The wizard's next question: week, then day, then time, then length."""

    def pack(o: str = UNSET, d: str = UNSET, s: str = UNSET, length: str = UNSET) -> str:
        return SLOT.pack(ordinal=o, day=d, time=s, duration=length)

    if ordinal == UNSET:
        ordinals = [(str(t(f"visio.slot.ordinal.{o}")), pack(str(o))) for o in ORDINALS]
        return [ordinals, [(str(t("visio.slot.typed_button")), ADMIN.pack(item="rule"))]]
    if day == UNSET:
        days = [(str(t(f"visio.slot.day.{d}")), pack(ordinal, d)) for d in WEEKDAYS]
        return [days[:4], days[4:]]
    if start == UNSET:
        times = [(clock(t, s), pack(ordinal, day, s.strftime("%H%M"))) for s in TIMES]
        return [times[i : i + 4] for i in range(0, len(times), 4)]
    lengths = [
        (str(t("visio.slot.minutes", minutes=d)), pack(ordinal, day, start, str(d)))
        for d in DURATIONS
    ]
    return [lengths]


def _slot_question(t: Translator, ordinal: str, day: str, start: str) -> str:
    if ordinal == UNSET:
        return t("visio.slot.ordinal_question")
    if day == UNSET:
        return t("visio.slot.day_question")
    if start == UNSET:
        return t("visio.slot.time_question", zone=str(t.timezone))
    return t("visio.slot.duration_question")


def _valid_slot(values: dict[str, str]) -> bool:
    ordinal, day, start, length = (values[k] for k in ("ordinal", "day", "time", "duration"))
    checks = [
        ordinal in {str(o) for o in ORDINALS},
        day in (*WEEKDAYS, UNSET),
        start == UNSET or (start.isdigit() and len(start) == 4),
        length == UNSET or length.isdigit(),
    ]
    return ordinal == UNSET or all(checks)


@member_only(Role.ANIMATOR, "visio_slot")
async def on_slot(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """One answer of the slot wizard; the last one saves the slot and re-plans."""
    values = await unpack_press(update, t, SLOT, _valid_slot)
    if values is None:
        return
    ordinal, day, start, length = (values[k] for k in ("ordinal", "day", "time", "duration"))
    if length == UNSET:
        question = _slot_question(t, ordinal, day, start)
        await replace_with(update, question, _slot_rows(t, ordinal, day, start))
        return
    begins = time(int(start[:2]) % 24, int(start[2:]) % 60)
    try:
        rule = preset_rule(int(ordinal), day)
        await context.services.visio.cycle.set_slot(rule, begins, int(length))
    except VisioError as error:
        await refuse(update, t, error)
        return
    await close_buttons(update, await slot_saved(context, t))
    await arm(context.application, context.services)


async def slot_saved(context: MaillageContext, t: Translator) -> str:
    """The confirmation of a new slot, with the next session's date."""
    cycle = context.services.visio.cycle
    settings = await cycle.settings()
    session = await cycle.next_session()
    return m.lines(
        slot_line(t, settings, "visio.slot.saved"),
        t("visio.slot.next", when=t.datetime(session.starts_at)) if session else "",
    )


@member_only(Role.ANIMATOR, "visio_admin")
async def on_admin(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A panel button that needs no typing: slot wizard, topics, coming sessions, history."""
    values = await unpack_press(
        update, t, ADMIN, fields(item=("slot", "topics", "upcoming", "history"))
    )
    if values is None:
        return
    item = values["item"]
    await accept(update)
    if item == "slot":
        await say(
            update,
            _slot_question(t, UNSET, UNSET, UNSET),
            keyboard(_slot_rows(t, UNSET, UNSET, UNSET)),
        )
    elif item == "topics":
        await show_topics(update, context, t)
    elif item == "upcoming":
        await show_sessions(update, context, t)
    else:
        await send_history(update, context, t)


async def show_topics(update: Update, context: MaillageContext, t: Translator) -> None:
    """The backlog as buttons, one topic each."""
    topics = await context.services.visio.topics.backlog()
    if not topics:
        await say(update, t("visio.topics.empty"))
        return
    rows = [
        [(t("visio.topics.button", title=topic.title), TOPIC.pack(topic=topic.id))]
        for topic in topics[:MAX_LISTED]
    ]
    await say(update, t("visio.topics.title"), keyboard(rows))


@member_only(Role.ANIMATOR, "visio_topic")
async def on_topic(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A topic's card with its moderation buttons."""
    pressed = await pressed_row(update, t, TOPIC, "topic", context.services.visio.topics.get)
    if pressed is None:
        return
    _, topic = pressed
    await accept(update)
    text = m.lines(
        t("visio.topics.card", title=topic.title, day=m.local(t, topic.created_at, "day")),
        escape(topic.description) if topic.description else "",
    )
    rows = [
        [
            (
                str(t(f"visio.topics.{action}_button")),
                TOPIC_ACTION.pack(topic=topic.id, action=action),
            )
            for action in ("edit", "merge", "reject")
        ]
    ]
    await say(update, text, keyboard(rows))


@member_only(Role.ANIMATOR, "visio_merge_pick")
async def on_merge_pick(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Choose the topic to merge into."""
    topics = context.services.visio.topics
    pressed = await pressed_row(update, t, TOPIC_ACTION, "topic", topics.get, action=("merge",))
    if pressed is None:
        return
    _, source = pressed
    await accept(update)
    others = [x for x in await topics.backlog() if x.id != source.id][:MAX_LISTED]
    if not others:
        await say(update, t("visio.topics.empty"))
        return
    rows = [
        [(t("visio.topics.button", title=x.title), MERGE.pack(source=source.id, target=x.id))]
        for x in others
    ]
    await say(update, t("visio.topics.merge_question", title=source.title), keyboard(rows))


@member_only(Role.ANIMATOR, "visio_merge")
async def on_merge(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Merge two topics and tell the author of the one folded in."""
    values = await unpack_press(update, t, MERGE, fields(source=None, target=None))
    if values is None:
        return
    try:
        source, target = await context.services.visio.topics.merge(
            int(values["source"]), int(values["target"])
        )
    except VisioError as error:
        await refuse(update, t, error)
        return
    await close_buttons(update, t("visio.topics.merged", source=source.title, target=target.title))
    await tell_author(
        context,
        source,
        member,
        "visio.topics.author_merged",
        source=source.title,
        target=target.title,
    )


async def show_sessions(update: Update, context: MaillageContext, t: Translator) -> None:
    """The coming sessions as buttons."""
    sessions = (await context.services.visio.cycle.upcoming())[:MAX_LISTED]
    if not sessions:
        await say(update, t("visio.sessions.empty"))
        return
    rows = [
        [
            (
                t(
                    "visio.sessions.button",
                    day=m.local(t, s.starts_at, "short"),
                    title=m.title_of(t, s),
                ),
                SESSION.pack(session=s.id),
            )
        ]
        for s in sessions
    ]
    await say(update, t("visio.sessions.title"), keyboard(rows))


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
        status=_status(t, session),
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


@member_only(Role.ANIMATOR, "visio_group")
async def group_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/groupe_visio in a group: it becomes the network's group (polls mirror the votes)."""
    chat = update.effective_chat
    assert chat is not None
    if chat.type == "private":
        await say(update, t("visio.settings.group_private"))
        return
    services = context.services
    if await services.group_chats.get(chat.id) is None:
        await services.group_chats.record(
            chat.id, chat.title or str(chat.id), True, services.clock.now()
        )
    await services.visio.cycle.set_group(chat.id)
    await say(update, t("visio.settings.group_saved"))


def build() -> list[BaseHandler]:
    """The animators' visio handlers."""
    return [
        CommandHandler(SESSIONS_COMMANDS, sessions_command),
        CommandHandler(GROUP_COMMANDS, group_command),
        CallbackQueryHandler(on_admin, pattern=ADMIN.pattern),
        CallbackQueryHandler(on_slot, pattern=SLOT.pattern),
        CallbackQueryHandler(on_topic, pattern=TOPIC.pattern),
        CallbackQueryHandler(on_merge_pick, pattern=TOPIC_ACTION.pattern),
        CallbackQueryHandler(on_merge, pattern=MERGE.pattern),
        CallbackQueryHandler(on_session, pattern=SESSION.pattern),
        CallbackQueryHandler(on_cancel_ask, pattern=SESSION_ACTION.pattern),
        CallbackQueryHandler(on_cancel, pattern=CANCEL.pattern),
    ]
