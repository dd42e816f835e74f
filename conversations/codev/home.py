"""/codev: a member's groups, one group's page, the groups open to requests, animators' counts."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.context import MaillageContext
from bot.domain.codev.model import Group, Relation, SeatStatus, Session, SessionStatus
from bot.domain.codev.seats import SeatHolder
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.codev.common import codev_handler, pressed, query_of
from conversations.codev.join import send_charter
from conversations.common import Button, acknowledge, markup_of, say
from schedules.codev.buttons import (
    ASK,
    BOXES,
    BROWSE,
    CLAIM,
    GROUP,
    HOME,
    INVITE,
    LEAVE,
    NEW,
    REMOVE,
    REQUEST,
    REQUESTS,
    REVOKE,
    SESSION,
    STATS,
    UNBIND,
)
from schedules.codev.joining import offer_buttons
from schedules.codev.text import person

CODEV_COMMANDS = ["codev"]
SHOWN_SESSIONS = 8


async def show_home(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The member's groups as buttons, offers and charters waiting, and what they may start."""
    groups = context.services.codev.groups
    lines = [t("codev.home.title")]
    rows: list[list[Button]] = []
    for group, status in await groups.of_person(member.user_id):
        if status is SeatStatus.WAITING:
            lines.append(t("codev.home.waiting", name=group.name))
            rows.append(
                [(t("codev.home.leave_waiting", name=group.name), LEAVE.pack(group=group.id))]
            )
        elif status is SeatStatus.OFFERED:
            lines.append(t("codev.home.offered", name=group.name))
            rows += offer_buttons(group.id)(t)
        else:
            key = "codev.home.facilitated" if status is None else "codev.home.member"
            rows.append([(t(key, name=group.name), GROUP.pack(group=group.id))])
    if len(lines) == 1 and not rows:
        lines.append(t("codev.home.none"))
    rows.append([(t("codev.home.browse"), BROWSE.pack())])
    if member.has_role(Role.FACILITATOR):
        rows.append([(t("codev.home.create"), NEW.pack())])
    if member.has_role(Role.ANIMATOR):
        rows.append([(t("codev.home.stats"), STATS.pack())])
    await say(update, "\n".join(lines), markup_of(rows))
    for group in await groups.waiting_charters(member.user_id):
        await send_charter(update, t, group)


@codev_handler(action="codev")
async def codev_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/codev."""
    await show_home(update, context, member, t)


@codev_handler(action="codev_home")
async def on_home(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Back to the member's groups."""
    await acknowledge(query_of(update))
    await show_home(update, context, member, t)


def session_label(t: Translator, session: Session, client: Member | None) -> str:
    """One line naming a session: its status, date if any, and client."""
    when = t.datetime(session.starts_at) if session.starts_at else ""
    return str(
        t(
            f"codev.session_line.{session.status}",
            when=when,
            client=person(t, client) if session.client_id else t("codev.someone"),
        )
    )


async def _roster_lines(
    context: MaillageContext,
    t: Translator,
    group: Group,
    roster: list[SeatHolder],
    facilitator: bool,
) -> list[str]:
    rotation = await context.services.codev.sessions.rotation(group.id)
    seated = [h for h in roster if h.seat.status is SeatStatus.MEMBER]
    waiting = [h for h in roster if h.seat.status is not SeatStatus.MEMBER]
    lines = [t("codev.group.members_title", n=len(seated), size=group.size_limit)]
    for holder in seated:
        been = rotation.been.get(holder.seat.user_id)
        if been is None:
            lines.append(t("codev.group.member_not_yet", person=person(t, holder.member)))
        else:
            lines.append(
                t("codev.group.member_been", person=person(t, holder.member), when=t.datetime(been))
            )
    lines.append(t("codev.group.rotation", been=len(rotation.been), n=len(seated)))
    if waiting:
        lines.append(t("codev.group.waiting", count=len(waiting)))
        if facilitator:
            lines += [t("codev.group.waiting_line", person=person(t, h.member)) for h in waiting]
    return [str(line) for line in lines]


async def group_page(
    context: MaillageContext, t: Translator, group: Group, viewer: Member, relation: Relation
) -> tuple[str, list[list[Button]]]:
    """The page of a group for its members and facilitator: people, rotation, sessions."""
    codev, members = context.services.codev, context.services.members
    facilitator = relation is Relation.FACILITATOR
    lead = await members.get(group.facilitator_id) if group.facilitator_id else None
    lines = [
        t("codev.group.title", name=group.name),
        t("codev.group.theme", theme=group.theme),
        t("codev.group.facilitator", person=person(t, lead))
        if lead
        else t("codev.group.no_facilitator"),
        t(f"codev.group.mode.{group.mode}", detail=group.detail or t("codev.group.no_detail")),
    ]
    chat = await codev.groups.chat_title(group)
    if chat:
        lines.append(t("codev.group.chat", title=chat))
    elif facilitator:
        lines.append(t("codev.group.bind_hint"))
    roster = await codev.groups.roster(group.id)
    known = {h.seat.user_id: h.member for h in roster}
    lines += ["", *await _roster_lines(context, t, group, roster, facilitator)]
    sessions = (await codev.sessions.of_group(viewer.user_id, group.id))[-SHOWN_SESSIONS:]
    lines.append(t("codev.group.sessions_title") if sessions else t("codev.group.no_sessions"))
    rows: list[list[Button]] = []
    for session in reversed(sessions):
        if session.status is SessionStatus.DECLINED:
            continue
        client_id = session.client_id
        client = known.get(client_id) if client_id in known else None
        if client_id is not None and client_id not in known:
            client = await members.get(client_id)
        rows.append([(session_label(t, session, client), SESSION.pack(session=session.id))])
    gid = group.id
    if facilitator:
        requests = len(await codev.groups.requests(viewer.user_id, gid))
        rows += [
            [(t("codev.group.invite"), INVITE.pack(group=gid))],
            [(t("codev.group.revoke"), REVOKE.pack(group=gid))],
            [(t("codev.group.requests", count=requests), REQUESTS.pack(group=gid))],
            [(t("codev.group.remove"), REMOVE.pack(group=gid))],
            [(t("codev.group.boxes"), BOXES.pack(group=gid))],
        ]
        if chat:
            rows.append([(t("codev.group.unbind"), UNBIND.pack(group=gid))])
    else:
        rows.append([(t("codev.group.ask"), ASK.pack(group=gid))])
    rows.append([(t("codev.group.leave"), LEAVE.pack(group=gid))])
    rows.append([(t("codev.group.back"), HOME.pack())])
    return "\n".join(str(line) for line in lines), rows


@codev_handler(action="codev_group")
async def on_group(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A group's page, for its members and facilitator only."""
    fields = await pressed(update, t, GROUP)
    if fields is None:
        return
    group, relation = await context.services.codev.groups.require(
        member.user_id, fields["group"], Relation.MEMBER, "group"
    )
    text, rows = await group_page(context, t, group, member, relation)
    await acknowledge(query_of(update))
    await say(update, text, markup_of(rows))


@codev_handler(Role.ANIMATOR, "codev_stats")
async def on_stats(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Animators: every group in numbers, never a case or a name of a client."""
    stats = await context.services.codev.groups.stats()
    lines = [t("codev.stats.title")]
    rows: list[list[Button]] = []
    for item in stats:
        lines.append(
            t(
                "codev.stats.line",
                name=item.name,
                members=item.members,
                waiting=item.waiting,
                held=item.sessions_held,
                attendance=item.attendance,
            )
        )
        if not item.has_facilitator:
            lines.append(t("codev.stats.orphan"))
            rows.append([(t("codev.stats.claim", name=item.name), CLAIM.pack(group=item.group_id))])
    if not stats:
        lines.append(t("codev.stats.none"))
    await acknowledge(query_of(update))
    await say(update, "\n".join(str(line) for line in lines), markup_of(rows))


@codev_handler(action="codev_browse")
async def on_browse(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Groups with a facilitator the member may ask to join."""
    groups = await context.services.codev.groups.open_to_requests(member.user_id)
    await acknowledge(query_of(update))
    if not groups:
        await say(update, t("codev.browse.none"))
        return
    lines = [t("codev.browse.title")]
    lines += [t("codev.browse.line", name=g.name, theme=g.theme) for g in groups]
    rows = [[(t("codev.browse.request", name=g.name), REQUEST.pack(group=g.id))] for g in groups]
    await say(update, "\n".join(str(line) for line in lines), markup_of(rows))


def build() -> list[BaseHandler]:
    """/codev and the pages reached from it."""
    return [
        CommandHandler(CODEV_COMMANDS, codev_command, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(on_home, pattern=HOME.pattern),
        CallbackQueryHandler(on_group, pattern=GROUP.pattern),
        CallbackQueryHandler(on_stats, pattern=STATS.pattern),
        CallbackQueryHandler(on_browse, pattern=BROWSE.pattern),
    ]
