"""What co-development sends: invitations, reminders, date polls, steps, prompts, offers.

Used by handlers and jobs alike, so it imports nothing from ``conversations``. Messages to
the whole group go through the delivery engine (category ``codev``: members who opted out,
unsubscribed or blocked the bot are left out); one-to-one notices are sent directly in the
recipient's language. Nothing here arms a job: ``schedules.codev.jobs`` does.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from bot.calendar import CalendarEvent, to_ics
from bot.context import MaillageContext
from bot.delivery import Attachment, Audience, Draft, Recipient
from bot.domain.codev.model import (
    LEARNINGS_STEP,
    OFFER_VALIDITY,
    STEPS,
    SYNTHESIS_STEP,
    DateOption,
    Group,
    GuideMode,
    MeetingMode,
    Rsvp,
    Session,
)
from bot.domain.members import Member
from bot.i18n import Translator
from bot.localized import Renderer, Rows, localized_content
from bot.telling import inline_markup, tell_rendered
from schedules.codev.buttons import (
    CHARTER,
    FOLLOWUP,
    ICS,
    LEARN,
    OFFER,
    PLAN,
    RSVP,
    STEP,
    VOTE,
)
from schedules.codev.text import clock_time, person
from schedules.deliveries import dispatch

CATEGORY = "codev"
Button = tuple[str, str]
ButtonRows = Callable[[Translator], Sequence[Sequence[Button]]]
YES_NO = ("yes", "no")


async def engine_send(
    context: MaillageContext,
    kind: str,
    render: Renderer,
    members: Sequence[int],
    chats: Sequence[Recipient] = (),
    *,
    urgent: bool = False,
    attach: Callable[[Translator], Attachment] | None = None,
) -> Audience:
    """Hand one message in every language to the delivery engine, due now, and arm it.

    ``urgent`` (a session under way) goes through members' quiet hours; ``attach`` gives
    the document sent after the text.
    """
    services = context.services
    content = localized_content(render, services.translator, services.settings.language, attach)
    draft = Draft(kind, CATEGORY, content, due_at=services.clock.now(), urgent=urgent)
    _, audience = await dispatch(context.application, services, draft, members, chats)
    return audience


async def _everyone(context: MaillageContext, group: Group) -> list[int]:
    """The group's members and its facilitator."""
    ids = await context.services.codev.groups.member_ids(group.id)
    return ids + ([group.facilitator_id] if group.facilitator_id else [])


def _chat(context: MaillageContext, group: Group, active: bool) -> list[Recipient]:
    """The group's Telegram chat as a recipient, in the network's language (if bound)."""
    if group.chat_id is None or not active:
        return []
    return [Recipient(group.chat_id, context.services.settings.language)]


async def tell(
    context: MaillageContext,
    user_id: int,
    key: str,
    buttons: ButtonRows | None = None,
    **params: Any,
) -> bool:
    """Send the catalog message ``key`` to a member in their language."""
    return await tell_rendered(context, user_id, lambda t: t(key, **params), buttons)


# -- coming in -------------------------------------------------------------------------------


def charter_buttons(group_id: int) -> ButtonRows:
    """Accept or decline a group's charter."""

    def rows(t: Translator) -> list[list[Button]]:
        return [
            [(t("codev.charter.accept"), CHARTER.pack(group=group_id, answer="yes"))],
            [(t("codev.charter.decline"), CHARTER.pack(group=group_id, answer="no"))],
        ]

    return rows


def charter_params(group: Group, t: Translator) -> dict[str, str]:
    """What the charter message shows of a group.

    A charter cleared when its author erased their data shows the network's default one.
    """
    charter = group.charter or str(t("codev.charter.default"))
    return {"name": group.name, "theme": group.theme, "charter": charter}


def meeting_place(t: Translator, session: Session | None, group: Group) -> str:
    """The session's link or place, else the group's usual one, else "to be given"."""
    return (session.link if session else None) or group.detail or str(t("codev.group.no_detail"))


def offer_buttons(group_id: int) -> ButtonRows:
    """Take or leave a seat offered from the waiting list."""

    def rows(t: Translator) -> list[list[Button]]:
        return [
            [
                (t(f"codev.offer.{answer}"), OFFER.pack(group=group_id, answer=answer))
                for answer in YES_NO
            ]
        ]

    return rows


async def offer_seat(context: MaillageContext, group: Group, user_id: int) -> None:
    """Tell the next person on the waiting list that a seat is theirs if they want it."""
    hours = int(OFFER_VALIDITY.total_seconds() // 3600)
    await tell(
        context,
        user_id,
        "codev.offer.prompt",
        offer_buttons(group.id),
        name=group.name,
        hours=hours,
    )


# -- invitation, reminders, date poll --------------------------------------------------------


async def _client(context: MaillageContext, session: Session) -> Member | None:
    """The session's client (None once their data is erased)."""
    if session.client_id is None:
        return None
    return await context.services.members.get(session.client_id)


def calendar_document(
    t: Translator, session: Session, group: Group, zone: ZoneInfo, now: datetime
) -> Attachment:
    """The session as a calendar file (no case in it: calendars are often shared)."""
    assert session.starts_at is not None and session.ends_at is not None
    where = session.link or group.detail or None
    video = group.mode is MeetingMode.VIDEO
    event = CalendarEvent(
        uid=f"codev-{session.id}@maillage",
        title=html.unescape(str(t("codev.ics.title", name=group.name))),
        start=session.starts_at,
        end=session.ends_at,
        timezone=zone,
        description=html.unescape(str(t("codev.ics.description", name=group.name))),
        location=None if video else where,
        url=where if video else None,
        sequence=session.sequence,
    )
    return Attachment("codev.ics", to_ics(event, now), str(t("codev.ics.caption")))


def _rsvp_rows(t: Translator, session: Session) -> Rows:
    return [
        [
            (t(f"codev.rsvp.{answer}"), RSVP.pack(session=session.id, answer=answer))
            for answer in YES_NO
        ],
        [(t("codev.rsvp.ics"), ICS.pack(session=session.id))],
    ]


async def send_invitation(context: MaillageContext, session: Session, group: Group) -> Audience:
    """The invitation: case, rotation, answer buttons; the group chat only gets the date."""
    assert session.starts_at is not None
    codev = context.services.codev
    client = await _client(context, session)
    rotation = await codev.sessions.rotation(group.id)
    members = context.services.members
    not_yet = [await members.get(m) for m in rotation.not_yet]
    place = "link" if group.mode is MeetingMode.VIDEO else "place"
    starts_at = session.starts_at

    def render(t: Translator) -> tuple[list[str], Rows]:
        names = ", ".join(person(t, m) for m in not_yet) or t("codev.invitation.everyone_has_been")
        text = t(
            "codev.invitation.text",
            name=group.name,
            when=t.datetime(starts_at),
            client=person(t, client),
            where=t(f"codev.invitation.{place}", link=meeting_place(t, session, group)),
            case=session.case,
            been=len(rotation.been),
            n=len(rotation.been) + len(rotation.not_yet),
            not_yet=names,
        )
        return [text], _rsvp_rows(t, session)

    services = context.services
    attach = partial(
        calendar_document,
        session=session,
        group=group,
        zone=services.settings.timezone,
        now=services.clock.now(),
    )
    audience = await engine_send(
        context, "codev_invitation", render, await _everyone(context, group), attach=attach
    )
    chat = _chat(context, group, await codev.groups.chat_title(group) is not None)
    if chat:

        def announce(t: Translator) -> tuple[list[str], Rows]:
            return [t("codev.invitation.chat", name=group.name, when=t.datetime(starts_at))], []

        await engine_send(context, "codev_announce", announce, [], chat)
    return audience


async def send_reminder(
    context: MaillageContext, session: Session, group: Group, kind: str
) -> Audience:
    """A reminder to those who did not decline, with the link and the calendar file."""
    assert session.starts_at is not None
    starts_at = session.starts_at
    answers = await context.services.codev.sessions.rsvps(session.id)
    recipients = [u for u in await _everyone(context, group) if answers.get(u) is not Rsvp.NO]

    def render(t: Translator) -> tuple[list[str], Rows]:
        text = t(
            f"codev.reminder.{kind}",
            name=group.name,
            when=t.datetime(starts_at),
            link=meeting_place(t, session, group),
        )
        return [text], [[(t("codev.rsvp.ics"), ICS.pack(session=session.id))]]

    return await engine_send(context, "codev_reminder", render, recipients)


def poll_rows(t: Translator, session: Session, options: list[DateOption], voter: int) -> Rows:
    """One button per date offered, ticked when it suits ``voter``."""
    rows: list[list[Button]] = []
    for option in options:
        mark = "codev.dates.option_on" if voter in option.voters else "codev.dates.option_off"
        label = t(mark, when=t.datetime(option.starts_at))
        rows.append([(label, VOTE.pack(session=session.id, option=option.number))])
    return rows


async def send_date_poll(
    context: MaillageContext, session: Session, group: Group, options: list[DateOption]
) -> Audience:
    """Ask the group which of the offered dates suit them (buttons toggle)."""
    members = await context.services.codev.groups.member_ids(group.id)

    def render(t: Translator) -> tuple[list[str], Rows]:
        return [t("codev.dates.prompt", name=group.name)], poll_rows(t, session, options, 0)

    return await engine_send(context, "codev_date_poll", render, members)


# -- guided steps ----------------------------------------------------------------------------


def step_text(t: Translator, session: Session, group: Group) -> str:
    """The announcement of the session's current step with its time box."""
    key = STEPS[session.step - 1]
    return str(
        t(
            "codev.step.announce",
            name=group.name,
            number=session.step,
            total=len(STEPS),
            step=t(f"codev.step.name.{key}"),
            what=t(f"codev.step.what.{key}"),
            minutes=session.step_minutes[session.step - 1],
            until=clock_time(t, session.step_ends_at),
        )
    )


def step_rows(t: Translator, session: Session) -> list[list[Button]]:
    """The facilitator's button: next step, or end of the session after the last."""
    key = "codev.step.finish" if session.step >= len(STEPS) else "codev.step.next"
    return [[(t(key), STEP.pack(session=session.id, step=session.step))]]


async def announce_step(context: MaillageContext, session: Session, group: Group) -> None:
    """Announce the step where it runs; the facilitator's copy carries the button."""
    services = context.services
    members = await services.codev.groups.member_ids(group.id)
    if session.guide_mode is GuideMode.CHAT and group.chat_id is not None:
        t = services.translator(services.settings.language)
        await context.bot.send_message(
            group.chat_id,
            step_text(t, session, group),
            reply_markup=inline_markup(step_rows(t, session)),
        )
    else:
        await engine_send(
            context,
            "codev_step",
            lambda t: ([step_text(t, session, group)], []),
            members,
            urgent=True,
        )
        if group.facilitator_id is not None:
            facilitator = await services.members.get(group.facilitator_id)
            t = services.translator(facilitator.language if facilitator else "fr")
            await context.bot.send_message(
                group.facilitator_id,
                step_text(t, session, group),
                reply_markup=inline_markup(step_rows(t, session)),
            )
    if session.step == SYNTHESIS_STEP and session.client_id is not None:
        await tell(
            context,
            session.client_id,
            "codev.plan.prompt",
            lambda t: [[(t("codev.plan.start"), PLAN.pack(session=session.id))]],
            name=group.name,
        )
    if session.step == LEARNINGS_STEP:

        def prompt(t: Translator) -> tuple[list[str], Rows]:
            rows = [[(t("codev.learning.start"), LEARN.pack(session=session.id))]]
            return [t("codev.learning.prompt", name=group.name)], rows

        await engine_send(context, "codev_learning", prompt, members, urgent=True)


async def announce_end(context: MaillageContext, session: Session, group: Group) -> None:
    """The session is over: thanks where it ran."""
    services = context.services
    if session.guide_mode is GuideMode.CHAT and group.chat_id is not None:
        t = services.translator(services.settings.language)
        await context.bot.send_message(group.chat_id, t("codev.step.over", name=group.name))
        return
    members = await services.codev.groups.member_ids(group.id)
    await engine_send(
        context,
        "codev_step",
        lambda t: ([t("codev.step.over", name=group.name)], []),
        members,
        urgent=True,
    )


async def alert_step(context: MaillageContext, session: Session, group: Group) -> None:
    """Tell the facilitator (or the group chat) that the step's time box is over."""
    services = context.services
    key = STEPS[session.step - 1]
    if session.guide_mode is GuideMode.CHAT and group.chat_id is not None:
        t = services.translator(services.settings.language)
        await context.bot.send_message(
            group.chat_id,
            t("codev.step.time_up", step=t(f"codev.step.name.{key}"), number=session.step),
        )
    elif group.facilitator_id is not None:
        facilitator = await services.members.get(group.facilitator_id)
        t = services.translator(facilitator.language if facilitator else "fr")
        await tell(
            context,
            group.facilitator_id,
            "codev.step.time_up",
            step=t(f"codev.step.name.{key}"),
            number=session.step,
        )


# -- follow-up -------------------------------------------------------------------------------


async def ask_followup(context: MaillageContext, session: Session, group: Group) -> Audience | None:
    """Ask the client how their commitments went."""
    if session.client_id is None:
        return None

    def render(t: Translator) -> tuple[list[str], Rows]:
        rows = [[(t("codev.followup.start"), FOLLOWUP.pack(session=session.id))]]
        return [t("codev.followup.prompt", name=group.name)], rows

    return await engine_send(context, "codev_followup", render, [session.client_id])
