"""A member proposes a topic: /proposer or 💡, its title, then an optional description."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member
from bot.domain.visio import DuplicateTopic
from bot.i18n import Translator
from conversations.common import member_only, say
from conversations.visio.asking import answer, begin, done, pending_ref

PROPOSE_COMMANDS = ["proposer", "propose"]


@member_only()
async def start_proposal(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str:
    """/proposer or 💡: ask for the topic's title."""
    return await begin(update, context, member, "title", t("visio.propose.ask"))


@answer("title")
async def on_title(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The topic's title: stored at once; then an optional description."""
    try:
        topic = await context.services.visio.topics.propose(member.user_id, text)
    except DuplicateTopic as duplicate:
        await say(update, t("visio.propose.duplicate", title=duplicate.existing.title))
        return await done(context, member)
    return await begin(
        update, context, member, "description", t("visio.propose.ask_description"), topic.id
    )


@answer("description")
async def on_description(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The optional description (/passer: none)."""
    topics = context.services.visio.topics
    topic_id = await pending_ref(context, member, "description")
    topic = (
        await topics.describe(member.user_id, topic_id, text)
        if text is not None
        else await topics.get(topic_id)
    )
    assert topic is not None
    await say(update, t("visio.propose.done", title=topic.title))
    return await done(context, member)


ANSWERS: dict[str, Callable[..., Any]] = {"title": on_title, "description": on_description}
SKIPPABLE = ("description",)
