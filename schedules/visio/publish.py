"""Sending what the cycle asks: notices through the delivery engine, the group poll directly."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from telegram import Bot, InputPollOption
from telegram.error import TelegramError
from telegram.ext import Application

from bot.delivery import Draft
from bot.domain.visio import ANIMATOR_NOTICES, Notice, NoticeKind, Session
from bot.services import Services
from schedules.deliveries import dispatch
from schedules.visio.feedback import launch_feedback, satisfaction
from schedules.visio.messages import local, plain, topic_title
from schedules.visio.notices import CALENDAR_NOTICES, render

logger = logging.getLogger(__name__)

CATEGORY = "visio"
"""Delivery category of the members' visio messages (members may opt out of it)."""
TEAM_CATEGORY = "visio_equipe"
"""Delivery category of the animators' visio warnings and reports."""


async def publish(
    application: Application[Any, Any, Any, Any, Any, Any],
    services: Services,
    notices: list[Notice],
) -> None:
    """Create and arm one send per notice; open or close the group poll with the vote."""
    for notice in notices:
        now = services.clock.now()
        if notice.kind is NoticeKind.REPORT:
            notice = replace(notice, satisfaction=await satisfaction(services, notice.session))
        if notice.audience:
            calendar = await _calendar(services, notice)
            content = render(notice, services.translator, services.settings.language, calendar)
            category = TEAM_CATEGORY if notice.kind in ANIMATOR_NOTICES else CATEGORY
            kind = f"visio_{notice.kind}"
            draft = Draft(kind, category, content, due_at=now, urgent=notice.urgent)
            await dispatch(application, services, draft, members=notice.audience)
        if notice.kind is NoticeKind.FEEDBACK:
            await launch_feedback(application, services, notice)
        elif notice.kind is NoticeKind.BALLOT:
            await open_poll(application.bot, services, notice)
        elif notice.kind in (NoticeKind.RESULT, NoticeKind.CANCELLED):
            await close_poll(application.bot, services, notice.session)


async def _calendar(services: Services, notice: Notice) -> bytes | None:
    """The session's .ics file if the notice carries it, else None."""
    if notice.kind not in CALENDAR_NOTICES or notice.session.title is None:
        return None
    withdrawn = str(services.translator(services.settings.language)("visio.change.withdrawn"))
    _, data = await services.visio.attendance.calendar_file(notice.session.id, withdrawn)
    return data


async def open_poll(bot: Bot, services: Services, notice: Notice) -> None:
    """Mirror the ballot as a native poll in the network's group chat, if there is one."""
    session = notice.session
    chat_id = (await services.visio.cycle.settings()).group_chat_id
    if session.poll_id is not None or chat_id is None:
        return
    group = await services.group_chats.get(chat_id)
    if group is None or not group.active:
        return
    t = services.translator(services.settings.language)
    question = plain(t("visio.poll.question", day=local(t, session.starts_at, "day")))
    options = [
        InputPollOption(
            plain(t("visio.poll.option", title=topic_title(t, topic.title))), text_parse_mode=None
        )
        for topic in notice.ballot
    ]
    try:
        message = await bot.send_poll(
            chat_id,
            question,
            options,
            is_anonymous=False,
            allows_multiple_answers=True,
            question_parse_mode=None,
            # python-telegram-bot adds the default parse_mode to every send, sendPoll included,
            # where the Bot API has no such field; None here drops it from the request.
            api_kwargs={"parse_mode": None},
        )
    except TelegramError as error:
        logger.warning("visio %s: the group poll could not be sent: %s", session.id, error)
        return
    assert message.poll is not None
    await services.visio.cycle.record_poll(session.id, chat_id, message.message_id, message.poll.id)


async def close_poll(bot: Bot, services: Services, session: Session) -> None:
    """Stop the group poll of a session whose vote closed or that was cancelled."""
    current = await services.visio.cycle.session(session.id)
    if current is None or not current.poll_open or current.poll_chat_id is None:
        return
    assert current.poll_message_id is not None
    try:
        await bot.stop_poll(current.poll_chat_id, current.poll_message_id)
    except TelegramError as error:
        logger.warning("visio %s: the group poll could not be stopped: %s", session.id, error)
    await services.visio.cycle.poll_stopped(session.id)
