"""Topic moderation for animators: the backlog as buttons, a topic's card, merging two topics."""

from __future__ import annotations

from markupsafe import escape
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.visio import VisioError
from bot.i18n import Translator
from conversations.common import close_buttons, keyboard, member_only, say, unpack_press
from conversations.visio.listing import say_listed
from conversations.visio.replies import accept, fields, pressed_row, refuse, tell_author
from schedules.visio import messages as m
from schedules.visio.buttons import MERGE, TOPIC, TOPIC_ACTION


async def show_topics(update: Update, context: MaillageContext, t: Translator) -> None:
    """The backlog as buttons, one topic each."""
    await say_listed(
        update,
        await context.services.visio.topics.backlog(),
        lambda topic: (t("visio.topics.button", title=topic.title), TOPIC.pack(topic=topic.id)),
        t("visio.topics.title"),
        t("visio.topics.empty"),
    )


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
    await say_listed(
        update,
        [x for x in await topics.backlog() if x.id != source.id],
        lambda x: (
            t("visio.topics.button", title=x.title),
            MERGE.pack(source=source.id, target=x.id),
        ),
        t("visio.topics.merge_question", title=source.title),
        t("visio.topics.empty"),
    )


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


def build() -> list[BaseHandler]:
    """The topic moderation buttons."""
    return [
        CallbackQueryHandler(on_topic, pattern=TOPIC.pattern),
        CallbackQueryHandler(on_merge_pick, pattern=TOPIC_ACTION.pattern),
        CallbackQueryHandler(on_merge, pattern=MERGE.pattern),
    ]
