"""A session's page (for the group's members and facilitator only), answers and calendar file."""

from __future__ import annotations

from datetime import datetime

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.codev.model import (
    LEARNINGS_STEP,
    PLANNABLE,
    SYNTHESIS_STEP,
    CodevError,
    DateOption,
    GuideMode,
    Relation,
    Rsvp,
    Session,
    SessionStatus,
)
from bot.domain.codev.plans import reached
from bot.domain.members import Member
from bot.i18n import Translator
from conversations.codev.common import codev_handler, pressed, query_of
from conversations.common import Button, acknowledge, markup_of, say
from schedules.codev.buttons import (
    ATTENDANCE,
    BOXES,
    DATES,
    DECLINE,
    FOLLOWUP,
    GROUP,
    GUIDE,
    ICS,
    LEARN,
    PICK,
    PLAN,
    RSVP,
    SCHEDULE,
    SESSION,
)
from schedules.codev.invitations import calendar_document
from schedules.codev.text import day_text, person

S = SessionStatus
ANSWERED = (S.SCHEDULED, S.RUNNING, S.HELD)


async def _answers_lines(context: MaillageContext, t: Translator, session: Session) -> list[str]:
    codev, members = context.services.codev, context.services.members
    lines: list[str] = []
    if session.status in ANSWERED:
        answers = await codev.sessions.rsvps(session.id)
        seated = await codev.groups.member_ids(session.group_id)
        named = {
            a: [person(t, await members.get(u)) for u, x in answers.items() if x is a] for a in Rsvp
        }
        silent = len([u for u in seated if u not in answers])
        lines.append(
            t(
                "codev.session.rsvps",
                yes=", ".join(named[Rsvp.YES]) or "—",
                no=", ".join(named[Rsvp.NO]) or "—",
                silent=silent,
            )
        )
    if session.status is S.POLLING:
        for option in await codev.sessions.options(session.id):
            lines.append(
                t(
                    "codev.session.option",
                    when=t.datetime(option.starts_at),
                    n=len(option.voters),
                )
            )
    if session.status is S.HELD:
        present = await codev.sessions.attendance(session.id)
        lines.append(t("codev.session.attendance", n=len(present)))
    return [str(line) for line in lines]


async def _content_lines(context: MaillageContext, t: Translator, session: Session) -> list[str]:
    codev, members = context.services.codev, context.services.members
    lines: list[str] = []
    actions = [a for a in await codev.plans.actions(session.id) if a.due_on is not None]
    if actions and session.plan_recorded_at is not None:
        lines.append(t("codev.session.plan_title"))
        for action in actions:
            status = t(f"codev.followup.status.{action.status}") if action.status else ""
            lines.append(
                t(
                    "codev.session.action",
                    position=action.position,
                    text=action.text,
                    due=day_text(t, action.due_on) if action.due_on else "",
                    status=status,
                    note=action.note or "",
                )
            )
    learnings = await codev.plans.learnings(session.id)
    if learnings:
        lines.append(t("codev.session.learnings_title"))
        for learning in learnings:
            who = person(t, await members.get(learning.user_id))
            lines.append(t("codev.session.learning", person=who, text=learning.text))
    return [str(line) for line in lines]


def _facilitator_rows(
    t: Translator, session: Session, chat: bool, options: list[DateOption]
) -> list[list[Button]]:
    sid = session.id
    rows: list[list[Button]] = []
    for option in options:
        label = t("codev.session.pick", when=t.datetime(option.starts_at), n=len(option.voters))
        rows.append([(label, PICK.pack(session=sid, option=option.number))])
    if session.status in PLANNABLE:
        rows += [
            [(t("codev.session.schedule"), SCHEDULE.pack(session=sid))],
            [(t("codev.session.offer_dates"), DATES.pack(session=sid))],
            [(t("codev.session.decline"), DECLINE.pack(session=sid))],
        ]
    if session.status is S.SCHEDULED:
        rows.append([(t("codev.session.reschedule"), SCHEDULE.pack(session=sid))])
        if chat:
            rows.append([(t("codev.guide.in_chat"), GUIDE.pack(session=sid, mode=GuideMode.CHAT))])
        rows.append(
            [(t("codev.guide.in_private"), GUIDE.pack(session=sid, mode=GuideMode.PRIVATE))]
        )
        rows.append([(t("codev.group.boxes"), BOXES.pack(group=session.group_id))])
    if session.status is S.HELD:
        rows.append([(t("codev.session.attendance_button"), ATTENDANCE.pack(session=sid))])
    return rows


def _member_rows(
    t: Translator, session: Session, viewer: Member, now: datetime
) -> list[list[Button]]:
    sid = session.id
    rows: list[list[Button]] = []
    if session.status is S.SCHEDULED:
        rows.append([(t(f"codev.rsvp.{a}"), RSVP.pack(session=sid, answer=a)) for a in Rsvp])
        rows.append([(t("codev.rsvp.ics"), ICS.pack(session=sid))])
    client = session.client_id == viewer.user_id
    if client and session.plan_recorded_at is None and reached(session, SYNTHESIS_STEP):
        rows.append([(t("codev.plan.start"), PLAN.pack(session=sid))])
    if reached(session, LEARNINGS_STEP):
        rows.append([(t("codev.learning.start"), LEARN.pack(session=sid))])
    due = session.followup_due_at
    if client and due is not None and session.followup_done_at is None and due <= now:
        rows.append([(t("codev.followup.start"), FOLLOWUP.pack(session=sid))])
    return rows


async def session_page(
    context: MaillageContext, t: Translator, session: Session, viewer: Member, relation: Relation
) -> tuple[str, list[list[Button]]]:
    """A session as its group sees it: client, case, date, answers, plan, learnings."""
    codev, members = context.services.codev, context.services.members
    group = await codev.groups.get(session.group_id)
    assert group is not None
    client = await members.get(session.client_id) if session.client_id else None
    lines = [
        t("codev.session.title", name=group.name),
        t("codev.session.client", person=person(t, client)),
        t(f"codev.session.status.{session.status}"),
    ]
    if session.starts_at is not None:
        lines.append(
            t("codev.session.when", when=t.datetime(session.starts_at), link=session.link or "")
        )
    lines.append(t("codev.session.case", case=session.case or t("codev.session.case_erased")))
    lines += await _answers_lines(context, t, session)
    lines += await _content_lines(context, t, session)
    if relation is Relation.FACILITATOR:
        chat = await codev.groups.chat_title(group) is not None
        polling = session.status is S.POLLING
        options = await codev.sessions.options(session.id) if polling else []
        rows = _facilitator_rows(t, session, chat, options)
    else:
        rows = _member_rows(t, session, viewer, context.services.clock.now())
    rows.append([(t("codev.group.back_to_group"), GROUP.pack(group=group.id))])
    return "\n".join(str(line) for line in lines), rows


@codev_handler(action="codev_session")
async def on_session(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Show a session; animators and outsiders are refused (and audited) like forged buttons."""
    fields = await pressed(update, t, SESSION)
    if fields is None:
        return
    session, _, relation = await context.services.codev.sessions.require(
        member.user_id, fields["session"], Relation.MEMBER, "session"
    )
    text, rows = await session_page(context, t, session, member, relation)
    await acknowledge(query_of(update))
    await say(update, text, markup_of(rows))


@codev_handler(action="codev_rsvp")
async def on_rsvp(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Coming or not."""
    fields = await pressed(update, t, RSVP, answer=tuple(Rsvp))
    if fields is None:
        return
    answer = Rsvp(fields["answer"])
    await context.services.codev.sessions.rsvp(member.user_id, fields["session"], answer)
    await acknowledge(query_of(update), t(f"codev.rsvp.noted.{answer}"))


@codev_handler(action="codev_ics")
async def on_ics(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """The session as a calendar file."""
    fields = await pressed(update, t, ICS)
    if fields is None:
        return
    services = context.services
    session, group, _ = await services.codev.sessions.require(
        member.user_id, fields["session"], Relation.MEMBER, "ics"
    )
    if session.starts_at is None or session.ends_at is None or session.status is S.HELD:
        raise CodevError("session_state")
    document = calendar_document(
        t, session, group, services.settings.timezone, services.clock.now()
    )
    await acknowledge(query_of(update))
    message = update.effective_message
    assert message is not None
    await message.chat.send_document(
        InputFile(document.data, filename=document.filename), caption=document.caption
    )


def handlers() -> list[BaseHandler]:
    """A session's page, answers and calendar file."""
    return [
        CallbackQueryHandler(on_session, pattern=SESSION.pattern),
        CallbackQueryHandler(on_rsvp, pattern=RSVP.pattern),
        CallbackQueryHandler(on_ics, pattern=ICS.pattern),
    ]
