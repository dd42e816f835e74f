"""Notices before a session: the invitation with its calendar file, reminders, the date poll."""

from __future__ import annotations

import html
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from bot.calendar import CalendarEvent, to_ics
from bot.context import MaillageContext
from bot.delivery import Attachment, Audience
from bot.domain.codev.model import DateOption, Group, MeetingMode, Rsvp, Session
from bot.domain.members import Member
from bot.i18n import Translator
from bot.localized import Rows
from schedules.codev.buttons import ICS, RSVP, VOTE
from schedules.codev.sending import YES_NO, Button, engine_send, everyone, group_chat
from schedules.codev.text import person


def meeting_place(t: Translator, session: Session | None, group: Group) -> str:
    """The session's link or place, else the group's usual one, else "to be given"."""
    return (session.link if session else None) or group.detail or str(t("codev.group.no_detail"))


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
        context, "codev_invitation", render, await everyone(context, group), attach=attach
    )
    chat = group_chat(context, group, await codev.groups.chat_title(group) is not None)
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
    recipients = [u for u in await everyone(context, group) if answers.get(u) is not Rsvp.NO]

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
