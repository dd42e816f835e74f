"""Votes: private ballot toggles, and answers in the group poll (merged, one ballot a member)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, PollAnswerHandler

from bot.context import MaillageContext
from bot.domain.members import Member
from bot.domain.visio import VisioError
from bot.i18n import Translator
from conversations.common import keyboard, member_only
from conversations.visio.replies import accept, read_button, refuse
from schedules.visio import messages as m
from schedules.visio.buttons import VOTE

logger = logging.getLogger(__name__)


@member_only()
async def on_vote(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Tick or untick a topic; the ballot is redrawn with the member's choices."""
    values = await read_button(update, t, VOTE, session=None, topic=None)
    if values is None:
        return
    query = update.callback_query
    assert query is not None
    ballots = context.services.visio.ballots
    try:
        view = await ballots.toggle(int(values["session"]), member.user_id, int(values["topic"]))
    except VisioError as error:
        await refuse(update, t, error)
        return
    await accept(update)
    await query.edit_message_text(
        m.ballot_text(t, view), reply_markup=keyboard(m.ballot_rows(t, view))
    )


async def on_poll_answer(update: Update, context: MaillageContext) -> None:
    """An answer in the group poll becomes the member's ballot (members only, until the close)."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return
    outcome = await context.services.visio.ballots.poll_answer(
        answer.poll_id, answer.user.id, list(answer.option_ids)
    )
    logger.debug("poll %s answer from %s: %s", answer.poll_id, answer.user.id, outcome)


def build() -> list[BaseHandler]:
    """Vote handlers."""
    return [
        CallbackQueryHandler(on_vote, pattern=VOTE.pattern),
        PollAnswerHandler(on_poll_answer),
    ]
