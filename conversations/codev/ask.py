"""A member asks to be a session's client with a one-paragraph case; the facilitator answers."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.codev.model import CASE_MAX, CodevError
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.codev.common import END, codev_handler, pressed
from conversations.codev.inputs import Typed, answer_of, answer_refused, ask, text_state
from conversations.common import Button, close_buttons, say
from schedules.codev.buttons import ASK, DATES, DECLINE, SCHEDULE
from schedules.codev.sending import ButtonRows, tell
from schedules.codev.text import person

INPUT = "case"
CASE = "codev:case"


@codev_handler(action="codev_ask")
async def on_ask(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | None:
    """Ask for the case (only a seated member without a request under way)."""
    fields = await pressed(update, t, ASK)
    if fields is None:
        return None
    group = await context.services.codev.sessions.may_request(member.user_id, fields["group"])
    question = t("codev.ask.prompt", name=group.name, limit=CASE_MAX)
    await ask(update, context, member, INPUT, group.id, question)
    return CASE


def _answers(session_id: int) -> ButtonRows:
    """The facilitator's three answers to a request."""

    def rows(t: Translator) -> list[list[Button]]:
        return [
            [(t("codev.session.schedule"), SCHEDULE.pack(session=session_id))],
            [(t("codev.session.offer_dates"), DATES.pack(session=session_id))],
            [(t("codev.session.decline"), DECLINE.pack(session=session_id))],
        ]

    return rows


@codev_handler(action="codev_case")
async def on_case(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> int | None:
    """Record the request and tell the facilitator, who schedules, offers dates or declines."""
    got = await answer_of(update, context, member, t, INPUT, "codev.ask.again", limit=CASE_MAX)
    if not isinstance(got, Typed):
        return got
    codev = context.services.codev
    try:
        session = await codev.sessions.request(member.user_id, got.ref, got.text)
    except CodevError as error:
        return await answer_refused(update, t, error, "codev.ask.again", limit=CASE_MAX)
    await codev.forget(member.user_id, INPUT)
    group = await codev.groups.get(session.group_id)
    assert group is not None
    await say(update, t("codev.ask.sent", name=group.name))
    if group.facilitator_id is not None:
        await tell(
            context,
            group.facilitator_id,
            "codev.ask.notice",
            _answers(session.id),
            person=person(t, member),
            name=group.name,
            case=session.case,
        )
    return END


@codev_handler(Role.FACILITATOR, "codev_decline")
async def on_decline(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The facilitator does not take the request; the member is told."""
    fields = await pressed(update, t, DECLINE)
    if fields is None:
        return
    codev = context.services.codev
    session = await codev.sessions.decline(member.user_id, fields["session"])
    group = await codev.groups.get(session.group_id)
    assert group is not None
    await close_buttons(update, t("codev.ask.declined"))
    if session.client_id is not None:
        await tell(context, session.client_id, "codev.ask.declined_notice", name=group.name)


def entries() -> list[BaseHandler]:
    """The button that starts a request."""
    return [CallbackQueryHandler(on_ask, pattern=ASK.pattern)]


def states() -> dict[object, list[BaseHandler]]:
    """Waiting for the case."""
    return {CASE: [text_state(on_case)]}


def handlers() -> list[BaseHandler]:
    """The facilitator's refusal."""
    return [CallbackQueryHandler(on_decline, pattern=DECLINE.pattern)]
