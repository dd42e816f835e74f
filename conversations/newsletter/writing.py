"""Writing a broadcast: /lettre and /rappel, each typed message added to the draft, clearing it."""

from __future__ import annotations

from functools import partial

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.newsletter.model import BroadcastKind, NewsletterError
from bot.i18n import Translator
from conversations.common import (
    acknowledge,
    markup_of,
    member_only,
    replace_with,
    say,
    translator_for,
)
from conversations.newsletter.broadcast import State, text_state
from conversations.newsletter.views import added_view, error_text, intro_view


async def _start(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """The intro: what to type, the draft under way, the scheduled sends."""
    letters = context.services.newsletters
    draft = await letters.draft(member.user_id, kind)
    waiting = await letters.waiting(kind)
    text, rows = intro_view(t, kind, draft, len(waiting))
    await say(update, text, markup_of(rows))
    return text_state(kind)


start_newsletter = member_only(Role.ANIMATOR, "newsletter")(
    partial(_start, kind=BroadcastKind.NEWSLETTER)
)
start_reminder = member_only(Role.ANIMATOR, "reminder")(
    partial(_start, kind=BroadcastKind.REMINDER)
)


@member_only(Role.ANIMATOR, "broadcast_text")
async def on_text(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """A message of text for the draft (its formatting kept as Telegram HTML)."""
    message = update.effective_message
    assert message is not None
    try:
        draft = await context.services.newsletters.add_text(member.user_id, kind, message.text_html)
    except NewsletterError as error:
        await say(update, error_text(t, error))
        return text_state(kind)
    text, rows = added_view(t, kind, draft)
    await say(update, text, markup_of(rows))
    return text_state(kind)


async def on_not_text(update: Update, context: MaillageContext, state: str) -> State:
    """A photo, sticker or file where text is expected: ask again, keep the place."""
    t = await translator_for(update, context)
    await say(update, t("newsletter.intro.text_expected"))
    return state


async def clear_draft(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Empty the draft and start again."""
    await context.services.newsletters.clear(member.user_id, kind)
    await replace_with(update, t("newsletter.intro.cleared"))
    return text_state(kind)


async def add_more(
    update: Update, context: MaillageContext, member: Member, t: Translator, kind: BroadcastKind
) -> State:
    """Back to typing: what comes next is added to the draft."""
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    draft = await context.services.newsletters.draft(member.user_id, kind)
    text, _ = intro_view(t, kind, draft, 0)
    await say(update, text)
    return text_state(kind)
