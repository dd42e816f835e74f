"""Everything typed in the visio feature, as one persistent conversation named ``visio``.

A button or command starts an input: the row it is about is stored (``expect_input``) and
the conversation waits in the state named after the input's kind, across restarts. Each
typed answer is re-checked (role, then the domain's rules); a refused answer is explained
and the question stays open; ``/annuler`` leaves, ``/passer`` skips an optional answer.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.datetime_input import DateTimeInputError
from bot.domain.members import Member, Role
from bot.domain.visio import DuplicateTopic, VisioError
from bot.domain.visio.inputs import clean_title
from bot.i18n import Translator
from conversations.cancel import cancel_handlers
from conversations.common import member_only, say, translator_for
from conversations.dates import datetime_error_text
from conversations.visio.slot_wizard import slot_saved
from conversations.visio.replies import accept, pressed_row, refuse, tell_author
from schedules.visio import arm, publish
from schedules.visio import messages as m
from schedules.visio.buttons import ADMIN, MENU, SESSION_ACTION, TOPIC_ACTION

END = ConversationHandler.END
PROPOSE_COMMANDS = ["proposer", "propose"]
SKIP_COMMANDS = ["passer", "skip"]
Answer = Callable[[Update, MaillageContext, Member, Translator, str | None], Awaitable[str | int]]


class StaleInput(Exception):
    """The conversation waits for an answer the database no longer expects."""


def _only(spec: CallbackSpec, field: str, *values: str) -> re.Pattern[str]:
    """A pattern for the payloads of ``spec`` whose last field ``field`` is one of ``values``."""
    assert spec.fields[-1] == field
    middle = "".join(r"[^:]+:" for _ in spec.fields[:-1])
    return re.compile(rf"^{spec.prefix}:{spec.version}:{middle}({'|'.join(values)})$")


async def _begin(
    update: Update,
    context: MaillageContext,
    member: Member,
    kind: str,
    question: str,
    ref: int | None = None,
    draft: str | None = None,
) -> str:
    """Store what the next message answers, ask, and wait in the state ``kind``."""
    await context.services.visio.expect_input(member.user_id, kind, ref, draft)
    if update.callback_query is not None:
        await accept(update)
    await say(update, question)
    return kind


async def _ref(context: MaillageContext, member: Member, kind: str) -> int:
    """The row the pending answer is about; StaleInput if it is not the one expected."""
    pending = await context.services.visio.pending_input(member.user_id)
    if pending is None or pending.kind != kind or pending.ref is None:
        raise StaleInput
    return pending.ref


async def _done(context: MaillageContext, member: Member) -> int:
    await context.services.visio.input_done(member.user_id)
    return END


def answer(kind: str, role: Role = Role.MEMBER) -> Callable[[Answer], Callable[..., Any]]:
    """A typed answer in state ``kind``: role re-checked, refusals explained, question kept."""

    def decorate(func: Answer) -> Callable[..., Any]:
        @member_only(role, f"visio_{kind}")
        @wraps(func)
        async def wrapper(
            update: Update, context: MaillageContext, member: Member, t: Translator
        ) -> str | int:
            message = update.effective_message
            text = message.text if message is not None else None
            if text is not None and text.startswith("/"):  # /passer
                text = None
            try:
                return await func(update, context, member, t, text)
            except VisioError as error:
                await refuse(update, t, error)
            except DateTimeInputError as error:
                await say(update, datetime_error_text(t, error))
            except StaleInput:
                await say(update, t("visio.propose.stale"))
                return await _done(context, member)
            return kind

        return wrapper

    return decorate


# -- starting an input ------------------------------------------------------------------------


@member_only()
async def start_proposal(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str:
    """/proposer or 💡: ask for the topic's title."""
    return await _begin(update, context, member, "title", t("visio.propose.ask"))


ADMIN_QUESTIONS = {
    "link": "visio.settings.ask_link",
    "windows": "visio.settings.ask_windows",
    "reminders": "visio.settings.ask_reminders",
    "rule": "visio.slot.ask_rule",
    "oneoff_title": "visio.oneoff.ask_title",
}


@member_only(Role.ANIMATOR, "visio_settings")
async def start_setting(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """A settings button that needs typing: fixed room, windows, reminders, rule, one-off."""
    values = ADMIN.unpack(update.callback_query.data if update.callback_query else None)
    item = values["item"] if values else ""
    kind = "oneoff_title" if item == "oneoff" else item
    if kind not in ADMIN_QUESTIONS:
        return END
    return await _begin(update, context, member, kind, t(ADMIN_QUESTIONS[kind]))


@member_only(Role.ANIMATOR, "visio_topic_input")
async def start_topic_input(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """✏️ or 🚫 on a topic: ask for the new title or the reason."""
    topics = context.services.visio.topics
    pressed = await pressed_row(
        update, t, TOPIC_ACTION, "topic", topics.get, action=("edit", "reject")
    )
    if pressed is None:
        return END
    values, topic = pressed
    kind, key = (
        ("edit", "visio.topics.ask_edit")
        if values["action"] == "edit"
        else ("reason", "visio.topics.ask_reason")
    )
    return await _begin(update, context, member, kind, t(key, title=topic.title), topic.id)


@member_only(Role.ANIMATOR, "visio_session_input")
async def start_session_input(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """⏩ or 🔗 on a session: ask for the new date or its link."""
    cycle = context.services.visio.cycle
    pressed = await pressed_row(
        update, t, SESSION_ACTION, "session", cycle.session, action=("postpone", "link")
    )
    if pressed is None:
        return END
    values, session = pressed
    if values["action"] == "postpone":
        question = t("visio.sessions.ask_date", zone=str(t.timezone))
        return await _begin(update, context, member, "postpone", question, session.id)
    return await _begin(
        update, context, member, "session_link", t("visio.sessions.ask_link"), session.id
    )


# -- the answers ------------------------------------------------------------------------------


@answer("title")
async def on_title(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The topic's title: stored at once; then an optional description."""
    try:
        topic = await context.services.visio.topics.propose(member.user_id, text)
    except DuplicateTopic as duplicate:
        await say(update, t("visio.propose.duplicate", title=duplicate.existing.title))
        return await _done(context, member)
    return await _begin(
        update, context, member, "description", t("visio.propose.ask_description"), topic.id
    )


@answer("description")
async def on_description(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The optional description (/passer: none)."""
    topics = context.services.visio.topics
    topic_id = await _ref(context, member, "description")
    topic = (
        await topics.describe(member.user_id, topic_id, text)
        if text is not None
        else await topics.get(topic_id)
    )
    assert topic is not None
    await say(update, t("visio.propose.done", title=topic.title))
    return await _done(context, member)


@answer("rule", Role.ANIMATOR)
async def on_rule(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """A typed RFC 5545 rule with its time and length."""
    await context.services.visio.cycle.set_typed_slot(text or "")
    await say(update, await slot_saved(context, t))
    await arm(context.application, context.services)
    return await _done(context, member)


@answer("link", Role.ANIMATOR)
async def on_link(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The fixed video room."""
    settings = await context.services.visio.cycle.set_link(text or "")
    await say(update, t("visio.settings.link_saved", link=settings.link))
    return await _done(context, member)


@answer("windows", Role.ANIMATOR)
async def on_windows(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The proposal and vote windows."""
    s = await context.services.visio.cycle.set_windows(text or "")
    await say(
        update,
        t(
            "visio.settings.windows_saved",
            proposal=s.proposal_days,
            opens=s.vote_open_days,
            closes=s.vote_close_days,
        ),
    )
    await arm(context.application, context.services)
    return await _done(context, member)


@answer("reminders", Role.ANIMATOR)
async def on_reminders(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """When reminders go out."""
    settings = await context.services.visio.cycle.set_reminders(text or "")
    listed = (
        m.reminders(t, settings.reminders) if settings.reminders else t("visio.admin.no_reminders")
    )
    await say(update, t("visio.settings.reminders_saved", reminders=listed))
    await arm(context.application, context.services)
    return await _done(context, member)


@answer("oneoff_title", Role.ANIMATOR)
async def on_oneoff_title(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The one-off session's title; then its date."""
    title = clean_title(text)
    question = t("visio.oneoff.ask_date", zone=str(t.timezone))
    return await _begin(update, context, member, "oneoff_date", question, draft=title)


@answer("oneoff_date", Role.ANIMATOR)
async def on_oneoff_date(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The one-off session's date: created, invitation sent to every member."""
    services = context.services
    pending = await services.visio.pending_input(member.user_id)
    if pending is None or pending.kind != "oneoff_date" or not pending.draft:
        raise StaleInput
    notices = await services.visio.cycle.create_oneoff(pending.draft, text or "")
    await publish(context.application, services, notices)
    await arm(context.application, services)
    await say(update, t("visio.oneoff.created"))
    return await _done(context, member)


@answer("edit", Role.ANIMATOR)
async def on_edit(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """A topic's new title."""
    topic = await context.services.visio.topics.edit(await _ref(context, member, "edit"), text)
    await say(update, t("visio.topics.edited", title=topic.title))
    return await _done(context, member)


@answer("reason", Role.ANIMATOR)
async def on_reason(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """Why a topic is rejected: the topic is set aside and its author told."""
    topic = await context.services.visio.topics.reject(await _ref(context, member, "reason"), text)
    await say(update, t("visio.topics.rejected", title=topic.title))
    await tell_author(
        context,
        topic,
        member,
        "visio.topics.author_rejected",
        title=topic.title,
        reason=topic.reason,
    )
    return await _done(context, member)


@answer("postpone", Role.ANIMATOR)
async def on_postpone(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """A session's new date: members told, reminders moved."""
    services = context.services
    session_id = await _ref(context, member, "postpone")
    notices = await services.visio.cycle.postpone(session_id, text or "")
    await publish(context.application, services, notices)
    await arm(context.application, services)
    await say(update, t("visio.sessions.postponed", when=t.datetime(notices[0].session.starts_at)))
    return await _done(context, member)


@answer("session_link", Role.ANIMATOR)
async def on_session_link(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """One session's own link."""
    session_id = await _ref(context, member, "session_link")
    session = await context.services.visio.cycle.set_session_link(session_id, text or "")
    await say(update, t("visio.sessions.link_saved", link=session.link))
    return await _done(context, member)


async def text_expected(update: Update, context: MaillageContext) -> None:
    """A sticker, photo or voice note where text is expected."""
    t = await translator_for(update, context)
    await say(update, t("visio.propose.text_expected"))


ANSWERS: dict[str, Callable[..., Any]] = {
    "title": on_title,
    "description": on_description,
    "rule": on_rule,
    "link": on_link,
    "windows": on_windows,
    "reminders": on_reminders,
    "oneoff_title": on_oneoff_title,
    "oneoff_date": on_oneoff_date,
    "edit": on_edit,
    "reason": on_reason,
    "postpone": on_postpone,
    "session_link": on_session_link,
}
SKIPPABLE = ("description",)


def _state(kind: str) -> list[BaseHandler]:
    handlers: list[BaseHandler] = [
        MessageHandler(filters.TEXT & ~filters.COMMAND, ANSWERS[kind]),
        MessageHandler(~filters.COMMAND, text_expected),
    ]
    if kind in SKIPPABLE:
        handlers.insert(0, CommandHandler(SKIP_COMMANDS, ANSWERS[kind]))
    return handlers


def build() -> list[BaseHandler]:
    """The visio conversation (typed answers), persisted across restarts."""
    return [
        ConversationHandler(
            entry_points=[
                CommandHandler(PROPOSE_COMMANDS, start_proposal),
                CallbackQueryHandler(start_proposal, pattern=_only(MENU, "item", "propose")),
                CallbackQueryHandler(
                    start_setting,
                    pattern=_only(ADMIN, "item", "link", "windows", "reminders", "rule", "oneoff"),
                ),
                CallbackQueryHandler(
                    start_topic_input, pattern=_only(TOPIC_ACTION, "action", "edit", "reject")
                ),
                CallbackQueryHandler(
                    start_session_input, pattern=_only(SESSION_ACTION, "action", "postpone", "link")
                ),
            ],
            states={kind: _state(kind) for kind in ANSWERS},
            fallbacks=cancel_handlers(),
            name="visio",
            persistent=True,
            allow_reentry=True,
        )
    ]
