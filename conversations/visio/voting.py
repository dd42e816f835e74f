"""Votes: private ballot toggles, and answers in the group poll (merged, one ballot a member)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, PollAnswerHandler

from bot.context import MaillageContext
from bot.domain.members import Member
from bot.domain.visio import VisioError
from bot.i18n import Translator
from conversations.common import member_only, replace_with, unpack_press
from conversations.visio.replies import fields, refuse
from schedules.visio import messages as m
from schedules.visio.buttons import VOTE, VOTE_TOGGLE

logger = logging.getLogger(__name__)


@member_only()
async def on_vote(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Tick or untick a topic; the ballot is redrawn with the member's choices."""
    assert update.callback_query is not None
    legacy = VOTE_TOGGLE.unpack(update.callback_query.data) is not None
    if legacy:
        values = await unpack_press(update, t, VOTE_TOGGLE, fields(session=None, topic=None))
    else:
        values = await unpack_press(
            update, t, VOTE, fields(session=None, topic=None, tick=("0", "1"))
        )
    if values is None:
        return
    ballots = context.services.visio.ballots
    tick = None if legacy else values["tick"] == "1"
    try:
        view = await ballots.toggle(
            int(values["session"]), member.user_id, int(values["topic"]), tick
        )
    except VisioError as error:
        await refuse(update, t, error)
        return
    await replace_with(update, m.ballot_text(t, view), m.ballot_rows(t, view))


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
