"""The guided six steps with their time boxes, the facilitator's "next step", attendance."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.codev.model import (
    MAX_STEP_MINUTES,
    STEPS,
    CodevError,
    Group,
    GuideMode,
    Relation,
    SessionStatus,
    format_step_minutes,
)
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.codev.common import END, codev_handler, pressed, query_of
from conversations.codev.inputs import Typed, answer_of, answer_refused, ask, text_state
from conversations.common import Button, acknowledge, markup_of, replace_with, say
from schedules.codev.buttons import ATTEND, ATTENDANCE, BOXES, GUIDE, STEP
from schedules.codev.jobs import arm_step_alert
from schedules.codev.steps import announce_end, announce_step
from schedules.codev.text import person

BOXES_INPUT = "boxes"
BOXES_STATE = "codev:boxes"
MODES = tuple(GuideMode)


@codev_handler(Role.FACILITATOR, "codev_guide")
async def on_guide(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Start the guided steps in the group chat or in everyone's private chat."""
    fields = await pressed(update, t, GUIDE, mode=MODES)
    if fields is None:
        return
    codev = context.services.codev
    session = await codev.sessions.start_guide(
        member.user_id, fields["session"], GuideMode(fields["mode"])
    )
    group = await codev.groups.get(session.group_id)
    assert group is not None
    await acknowledge(query_of(update), t("codev.guide.started"))
    await announce_step(context, session, group)
    arm_step_alert(context.application, session, context.services.clock.now())


@codev_handler(Role.FACILITATOR, "codev_step")
async def on_step(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Next step (a second press on the same step changes nothing); after the sixth, the end."""
    fields = await pressed(update, t, STEP)
    if fields is None:
        return
    codev = context.services.codev
    session = await codev.sessions.next_step(member.user_id, fields["session"], fields["step"])
    group = await codev.groups.get(session.group_id)
    assert group is not None
    query = query_of(update)
    await acknowledge(query)
    if isinstance(query.message, Message):
        await query.edit_message_text(query.message.text_html)
    if session.status is SessionStatus.HELD:
        await announce_end(context, session, group)
        await _send_attendance(context, member, session.id)
        return
    await announce_step(context, session, group)
    arm_step_alert(context.application, session, context.services.clock.now())


async def _attendance_rows(
    context: MaillageContext, t: Translator, session_id: int, group_id: int
) -> list[list[Button]]:
    codev = context.services.codev
    present = await codev.sessions.attendance(session_id)
    rows: list[list[Button]] = []
    for user_id in await codev.groups.member_ids(group_id):
        mark = "present" if user_id in present else "absent"
        member = await context.services.members.get(user_id)
        label = t(f"codev.attendance.{mark}", person=person(t, member))
        rows.append([(label, ATTEND.pack(session=session_id, user=user_id))])
    return rows


async def _send_attendance(context: MaillageContext, member: Member, session_id: int) -> None:
    """The facilitator's attendance list, in private (those who said yes are ticked)."""
    codev = context.services.codev
    session = await codev.sessions.get(session_id)
    assert session is not None
    t = context.services.translator(member.language)
    rows = await _attendance_rows(context, t, session_id, session.group_id)
    await context.bot.send_message(
        member.user_id, t("codev.attendance.prompt"), reply_markup=markup_of(rows)
    )


@codev_handler(Role.FACILITATOR, "codev_attendance")
async def on_attendance(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Show the attendance list of a session held."""
    fields = await pressed(update, t, ATTENDANCE)
    if fields is None:
        return
    session, _ = await context.services.codev.sessions.for_facilitator(
        member.user_id, fields["session"], "codev_attendance", frozenset({SessionStatus.HELD})
    )
    await acknowledge(query_of(update))
    await _send_attendance(context, member, session.id)


@codev_handler(Role.FACILITATOR, "codev_attend")
async def on_attend(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Tick or untick one member as present."""
    fields = await pressed(update, t, ATTEND)
    if fields is None:
        return
    codev = context.services.codev
    await codev.sessions.toggle_attendance(member.user_id, fields["session"], fields["user"])
    session = await codev.sessions.get(fields["session"])
    assert session is not None
    rows = await _attendance_rows(context, t, session.id, session.group_id)
    await replace_with(update, t("codev.attendance.prompt"), rows)


@codev_handler(Role.FACILITATOR, "codev_boxes")
async def on_boxes(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | None:
    """Ask for the six time boxes of the group's guided sessions."""
    fields = await pressed(update, t, BOXES)
    if fields is None:
        return None
    group, _ = await context.services.codev.groups.require(
        member.user_id, fields["group"], Relation.FACILITATOR, "boxes"
    )
    await ask(update, context, member, BOXES_INPUT, group.id, _boxes_question(t, group))
    return BOXES_STATE


def _boxes_question(t: Translator, group: Group) -> str:
    names = ", ".join(str(t(f"codev.step.name.{step}")) for step in STEPS)
    return str(
        t(
            "codev.boxes.ask",
            current=format_step_minutes(group.step_minutes),
            steps=names,
            n=len(STEPS),
            limit=MAX_STEP_MINUTES,
        )
    )


@codev_handler(Role.FACILITATOR, "codev_boxes_typed")
async def on_boxes_typed(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> int | None:
    """Store the new time boxes."""
    got = await answer_of(update, context, member, t, BOXES_INPUT, "codev.boxes.again")
    if not isinstance(got, Typed):
        return got
    codev = context.services.codev
    try:
        minutes = await codev.groups.set_step_minutes(member.user_id, got.ref, got.text)
    except CodevError as error:
        return await answer_refused(update, t, error, "codev.boxes.again")
    await codev.forget(member.user_id, BOXES_INPUT)
    await say(update, t("codev.boxes.done", minutes=format_step_minutes(minutes)))
    return END


def entries() -> list[BaseHandler]:
    """The button that starts editing time boxes."""
    return [CallbackQueryHandler(on_boxes, pattern=BOXES.pattern)]


def states() -> dict[object, list[BaseHandler]]:
    """Waiting for six numbers."""
    return {BOXES_STATE: [text_state(on_boxes_typed)]}


def handlers() -> list[BaseHandler]:
    """Guided steps and attendance."""
    return [
        CallbackQueryHandler(on_guide, pattern=GUIDE.pattern),
        CallbackQueryHandler(on_step, pattern=STEP.pattern),
        CallbackQueryHandler(on_attendance, pattern=ATTENDANCE.pattern),
        CallbackQueryHandler(on_attend, pattern=ATTEND.pattern),
    ]
