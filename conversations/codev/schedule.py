"""The facilitator dates a session (typed in the network's zone) or offers dates to choose from."""

from __future__ import annotations

from datetime import datetime

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.clock import from_iso, to_iso
from bot.context import MaillageContext
from bot.domain.codev.model import (
    MAX_DATE_OPTIONS,
    MIN_DATE_OPTIONS,
    PLANNABLE,
    SCHEDULABLE,
    CodevError,
    Group,
    Session,
)
from bot.domain.datetime_input import DateTimeInputError
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.codev.common import END, codev_handler, pressed, query_of
from conversations.codev.inputs import Typed, answer_of, answer_refused, ask, text_state
from conversations.common import acknowledge, markup_of, say
from schedules.codev.buttons import DATES, PICK, SCHEDULE, USUAL_LINK, VOTE
from schedules.codev.invitations import poll_rows, send_date_poll, send_invitation
from schedules.codev.jobs import FOLLOWUP_JOB, REMINDER_JOB, arm_rows

SCHEDULE_INPUT = "schedule"
DATES_INPUT = "dates"
DATE_STATE = "codev:schedule:date"
LINK_STATE = "codev:schedule:link"
DATES_STATE = "codev:dates"


DATE_QUESTION = "codev.schedule.ask_date"
DATES_QUESTION = "codev.dates.ask"
DATES_PARAMS = {"low": MIN_DATE_OPTIONS, "high": MAX_DATE_OPTIONS}


async def _ask_date(update: Update, t: Translator) -> str:
    await say(update, t(DATE_QUESTION, zone=str(t.timezone)))
    return DATE_STATE


async def _ask_link(update: Update, t: Translator, session: Session, group: Group) -> str:
    usual = (t("codev.schedule.usual", detail=group.detail), USUAL_LINK.pack(session=session.id))
    rows = [[usual]] if group.detail else []
    await say(update, t(f"codev.schedule.ask_link.{group.mode}"), markup_of(rows))
    return LINK_STATE


@codev_handler(Role.FACILITATOR, "codev_schedule")
async def on_schedule(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | None:
    """Start dating a requested (or already dated) session."""
    fields = await pressed(update, t, SCHEDULE)
    if fields is None:
        return None
    session, _ = await context.services.codev.sessions.for_facilitator(
        member.user_id, fields["session"], "codev_schedule", SCHEDULABLE
    )
    question = t("codev.schedule.ask_date", zone=str(t.timezone))
    await ask(update, context, member, SCHEDULE_INPUT, session.id, question)
    return DATE_STATE


@codev_handler(Role.FACILITATOR, "codev_schedule_date")
async def on_date(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int | None:
    """Read the date and time, then ask for the link or place."""
    zone = str(t.timezone)
    got = await answer_of(update, context, member, t, SCHEDULE_INPUT, DATE_QUESTION, zone=zone)
    if not isinstance(got, Typed):
        return got
    try:
        starts_at = context.services.codev.sessions.read_datetime(got.text)
    except (CodevError, DateTimeInputError) as error:
        return await answer_refused(update, t, error, DATE_QUESTION, zone=zone)
    return await _date_chosen(update, context, member, t, got.ref, starts_at)


async def _date_chosen(
    update: Update,
    context: MaillageContext,
    member: Member,
    t: Translator,
    session_id: int,
    starts_at: datetime,
) -> str:
    codev = context.services.codev
    session, group = await codev.sessions.for_facilitator(
        member.user_id, session_id, "codev_schedule", SCHEDULABLE
    )
    await codev.remember(member.user_id, SCHEDULE_INPUT, session.id, {"at": to_iso(starts_at)})
    return await _ask_link(update, t, session, group)


async def _scheduling(
    context: MaillageContext, member: Member
) -> tuple[Session, Group, datetime] | None:
    """The session being dated, its group and the time chosen (None if nothing is under way)."""
    codev = context.services.codev
    recalled = await codev.recall(member.user_id, SCHEDULE_INPUT)
    if recalled is None or recalled[0] is None or "at" not in recalled[1]:
        return None
    session, group = await codev.sessions.for_facilitator(
        member.user_id, recalled[0], "codev_schedule", SCHEDULABLE
    )
    return session, group, from_iso(recalled[1]["at"])


async def _fix(
    update: Update, context: MaillageContext, member: Member, t: Translator, link: str
) -> str | int | None:
    """Date the session, invite the group, arm reminders and follow-ups."""
    services = context.services
    codev = services.codev
    chosen = await _scheduling(context, member)
    if chosen is None:
        return END
    session, group, starts_at = chosen
    try:
        session = await codev.sessions.schedule(member.user_id, session.id, starts_at, link)
    except CodevError as error:
        if error.code in ("date_past", "date_too_far"):
            await say(update, t(f"codev.error.{error.code}"))
            return await _ask_date(update, t)
        return await answer_refused(update, t, error, f"codev.schedule.ask_link.{group.mode}")
    await codev.forget(member.user_id, SCHEDULE_INPUT)
    assert session.starts_at is not None
    audience = await send_invitation(context, session, group)
    await arm_rows(context.application, services, REMINDER_JOB)
    await arm_rows(context.application, services, FOLLOWUP_JOB)
    when = t.datetime(session.starts_at)
    await say(update, t("codev.schedule.done", when=when, n=audience.eligible))
    return END


@codev_handler(Role.FACILITATOR, "codev_schedule_link")
async def on_link(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int | None:
    """A link (or a place) typed for this session."""
    chosen = await _scheduling(context, member)
    if chosen is None:
        return END
    again = f"codev.schedule.ask_link.{chosen[1].mode}"
    got = await answer_of(update, context, member, t, SCHEDULE_INPUT, again)
    if not isinstance(got, Typed):
        return got
    return await _fix(update, context, member, t, got.text)


@codev_handler(Role.FACILITATOR, "codev_schedule_usual")
async def on_usual_link(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int | None:
    """The group's usual link or place."""
    fields = await pressed(update, t, USUAL_LINK)
    if fields is None:
        return None
    chosen = await _scheduling(context, member)
    if chosen is None or chosen[0].id != fields["session"]:
        await acknowledge(query_of(update), t("buttons.expired"))
        return None
    await acknowledge(query_of(update))
    return await _fix(update, context, member, t, chosen[1].detail)


@codev_handler(Role.FACILITATOR, "codev_dates")
async def on_dates(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | None:
    """Start offering dates for the group to choose from."""
    fields = await pressed(update, t, DATES)
    if fields is None:
        return None
    session, _ = await context.services.codev.sessions.for_facilitator(
        member.user_id, fields["session"], "codev_dates", PLANNABLE
    )
    question = t(DATES_QUESTION, **DATES_PARAMS)
    await ask(update, context, member, DATES_INPUT, session.id, question)
    return DATES_STATE


@codev_handler(Role.FACILITATOR, "codev_dates_typed")
async def on_dates_typed(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> int | None:
    """Read the dates (one per line) and send the quick poll to the group."""
    got = await answer_of(update, context, member, t, DATES_INPUT, DATES_QUESTION, **DATES_PARAMS)
    if not isinstance(got, Typed):
        return got
    codev = context.services.codev
    try:
        await codev.sessions.offer_dates(member.user_id, got.ref, got.text)
    except CodevError as error:
        return await answer_refused(update, t, error, DATES_QUESTION, **DATES_PARAMS)
    await codev.forget(member.user_id, DATES_INPUT)
    session = await codev.sessions.get(got.ref)
    assert session is not None
    group = await codev.groups.get(session.group_id)
    assert group is not None
    options = await codev.sessions.options(session.id)
    audience = await send_date_poll(context, session, group, options)
    await say(update, t("codev.dates.sent", n=audience.eligible))
    return END


@codev_handler(action="codev_vote")
async def on_vote(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A member ticks (or unticks) a date that suits them."""
    fields = await pressed(update, t, VOTE)
    if fields is None:
        return
    codev = context.services.codev
    options = await codev.sessions.vote(member.user_id, fields["session"], fields["option"])
    session = await codev.sessions.get(fields["session"])
    query = query_of(update)
    assert session is not None and isinstance(query.message, Message)
    rows = poll_rows(t, session, options, member.user_id)
    await query.edit_message_text(query.message.text_html, reply_markup=markup_of(rows))
    await acknowledge(query, t("codev.dates.noted"))


@codev_handler(Role.FACILITATOR, "codev_pick")
async def on_pick(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | None:
    """The facilitator retains one of the offered dates, then gives the link."""
    fields = await pressed(update, t, PICK)
    if fields is None:
        return None
    starts_at = await context.services.codev.sessions.pick_option(
        member.user_id, fields["session"], fields["option"]
    )
    await acknowledge(query_of(update))
    return await _date_chosen(update, context, member, t, fields["session"], starts_at)


def entries() -> list[BaseHandler]:
    """Buttons that start dating a session."""
    return [
        CallbackQueryHandler(on_schedule, pattern=SCHEDULE.pattern),
        CallbackQueryHandler(on_dates, pattern=DATES.pattern),
        CallbackQueryHandler(on_pick, pattern=PICK.pattern),
    ]


def states() -> dict[object, list[BaseHandler]]:
    """Waiting for a date, a link or a list of dates."""
    return {
        DATE_STATE: [text_state(on_date)],
        LINK_STATE: [
            text_state(on_link),
            CallbackQueryHandler(on_usual_link, pattern=USUAL_LINK.pattern),
        ],
        DATES_STATE: [text_state(on_dates_typed)],
    }


def handlers() -> list[BaseHandler]:
    """Members' ticks in a date poll."""
    return [CallbackQueryHandler(on_vote, pattern=VOTE.pattern)]
