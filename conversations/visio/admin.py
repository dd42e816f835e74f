"""/sessions for animators: the settings panel and its buttons, /groupe_visio, their handlers.

Typed answers (links, windows, dates, reasons…) are in ``inputs``; the slot wizard, topic
moderation and the coming sessions each have their module; every button is re-checked with
``member_only(Role.ANIMATOR)``, which audits refusals.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import keyboard, member_only, say, unpack_press
from conversations.visio import session_management, slot_wizard, topic_moderation
from conversations.visio.member import send_history
from conversations.visio.replies import accept, fields
from conversations.visio.session_management import show_sessions, status_text
from conversations.visio.slot_wizard import slot_line, start_wizard
from conversations.visio.topic_moderation import show_topics
from schedules.visio import messages as m
from schedules.visio.buttons import ADMIN

SESSIONS_COMMANDS = ["sessions"]
GROUP_COMMANDS = ["groupe_visio", "visio_group"]


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
        t("visio.admin.next", when=t.datetime(session.starts_at), status=status_text(t, session))
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
        await start_wizard(update, t)
    elif item == "topics":
        await show_topics(update, context, t)
    elif item == "upcoming":
        await show_sessions(update, context, t)
    else:
        await send_history(update, context, t)


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
        *slot_wizard.build(),
        *topic_moderation.build(),
        *session_management.build(),
    ]
