"""Typed moderation of a topic: its new title (✏️) or why it is rejected (🚫)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.visio import Topic
from bot.i18n import Translator
from conversations.common import member_only, say
from conversations.visio.asking import RowQuestions, answer, begin_about_row, done, pending_ref
from conversations.visio.replies import tell_author
from schedules.visio.buttons import TOPIC_ACTION

TOPIC_QUESTIONS: RowQuestions[Topic] = {
    "edit": ("edit", lambda t, topic: t("visio.topics.ask_edit", title=topic.title)),
    "reject": ("reason", lambda t, topic: t("visio.topics.ask_reason", title=topic.title)),
}


@member_only(Role.ANIMATOR, "visio_topic_input")
async def start_topic_input(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """✏️ or 🚫 on a topic: ask for the new title or the reason."""
    topics = context.services.visio.topics
    return await begin_about_row(
        update, context, member, t, TOPIC_ACTION, "topic", topics.get, TOPIC_QUESTIONS
    )


@answer("edit", Role.ANIMATOR)
async def on_edit(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """A topic's new title."""
    topic = await context.services.visio.topics.edit(
        await pending_ref(context, member, "edit"), text
    )
    await say(update, t("visio.topics.edited", title=topic.title))
    return await done(context, member)


@answer("reason", Role.ANIMATOR)
async def on_reason(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """Why a topic is rejected: the topic is set aside and its author told."""
    topic_id = await pending_ref(context, member, "reason")
    topic = await context.services.visio.topics.reject(topic_id, text)
    await say(update, t("visio.topics.rejected", title=topic.title))
    await tell_author(
        context,
        topic,
        member,
        "visio.topics.author_rejected",
        title=topic.title,
        reason=topic.reason,
    )
    return await done(context, member)


ANSWERS: dict[str, Callable[..., Any]] = {"edit": on_edit, "reason": on_reason}
