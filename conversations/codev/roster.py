"""Who is in a group: invitation links, leaving, removal, taking over, the Telegram group chat."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.context import MaillageContext
from bot.domain.codev.model import Group, Relation, SeatStatus
from bot.domain.codev.seats import Departure
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.codev.common import codev_handler, pressed, query_of
from conversations.common import Button, acknowledge, close_buttons, markup_of, say
from schedules.codev.buttons import (
    BIND,
    CLAIM,
    GROUP,
    INVITE,
    LEAVE,
    LEAVE_OK,
    REMOVE,
    REMOVE_OK,
    REVOKE,
    UNBIND,
)
from schedules.codev.jobs import offer_next
from schedules.codev.sending import tell
from schedules.codev.text import person

BIND_COMMANDS = ["codev_lier", "codev_link"]


async def after_departure(
    context: MaillageContext, departure: Departure, who: Member, t: Translator
) -> None:
    """Tell whoever must know: animators (no facilitator), the facilitator, the next waiting."""
    group = departure.group
    if departure.facilitator_left:
        for staff in await context.services.members.staff():
            if staff.role is Role.ANIMATOR:
                await tell(context, staff.user_id, "codev.notice.no_facilitator", name=group.name)
        return
    if group.facilitator_id is not None and group.facilitator_id != who.user_id:
        await tell(
            context,
            group.facilitator_id,
            "codev.notice.left",
            person=person(t, who),
            name=group.name,
        )
    await offer_next(context, departure)


@codev_handler(Role.FACILITATOR, "codev_invite")
async def on_invite(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """A new invitation link (the group's older links stop working)."""
    fields = await pressed(update, t, INVITE)
    if fields is None:
        return
    group_id = fields["group"]
    code, group, expires = await context.services.codev.groups.new_invite(member.user_id, group_id)
    link = f"https://t.me/{context.bot.username}?start=codev-{code}"
    await acknowledge(query_of(update))
    await say(update, t("codev.invite.link", name=group.name, link=link, until=t.datetime(expires)))


@codev_handler(Role.FACILITATOR, "codev_revoke")
async def on_revoke(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Stop every invitation link of the group."""
    fields = await pressed(update, t, REVOKE)
    if fields is None:
        return
    group_id = fields["group"]
    count = await context.services.codev.groups.revoke_invites(member.user_id, group_id)
    await acknowledge(query_of(update))
    await say(update, t("codev.invite.revoked" if count else "codev.invite.none_live"))


@codev_handler(action="codev_leave")
async def on_leave(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Ask before leaving a group (or its waiting list, or its facilitation)."""
    fields = await pressed(update, t, LEAVE)
    if fields is None:
        return
    group_id = fields["group"]
    group = await context.services.codev.groups.place(member.user_id, group_id)
    key = (
        "codev.leave.confirm_facilitator"
        if group.facilitator_id == member.user_id
        else "codev.leave.confirm"
    )
    rows = [
        [(t("codev.leave.yes"), LEAVE_OK.pack(group=group.id))],
        [(t("codev.leave.no"), GROUP.pack(group=group.id))],
    ]
    await acknowledge(query_of(update))
    await say(update, t(key, name=group.name), markup_of(rows))


@codev_handler(action="codev_leave_ok")
async def on_leave_ok(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Leave; the seat goes to the next waiting, or the animators learn there is no facilitator."""
    fields = await pressed(update, t, LEAVE_OK)
    if fields is None:
        return
    group_id = fields["group"]
    departure = await context.services.codev.groups.leave(member.user_id, group_id)
    await close_buttons(update, t("codev.leave.done", name=departure.group.name))
    await after_departure(context, departure, member, t)


@codev_handler(Role.FACILITATOR, "codev_remove")
async def on_remove(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The facilitator picks whom to remove."""
    fields = await pressed(update, t, REMOVE)
    if fields is None:
        return
    group_id = fields["group"]
    groups = context.services.codev.groups
    group, _ = await groups.require(member.user_id, group_id, Relation.FACILITATOR, "remove_list")
    roster = await groups.roster(group_id)
    await acknowledge(query_of(update))
    if not roster:
        await say(update, t("codev.remove.nobody"))
        return
    rows: list[list[Button]] = []
    for holder in roster:
        key = (
            "codev.remove.member"
            if holder.seat.status is SeatStatus.MEMBER
            else "codev.remove.waiting"
        )
        label = t(key, person=person(t, holder.member))
        rows.append([(label, REMOVE_OK.pack(group=group.id, user=holder.seat.user_id))])
    await say(update, t("codev.remove.pick", name=group.name), markup_of(rows))


@codev_handler(Role.FACILITATOR, "codev_remove_ok")
async def on_remove_ok(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Remove one member; they are told, and the seat is offered to the next waiting."""
    fields = await pressed(update, t, REMOVE_OK)
    if fields is None:
        return
    group_id, person_id = fields["group"], fields["user"]
    services = context.services
    departure = await services.codev.groups.remove(member.user_id, group_id, person_id)
    removed = await services.members.get(person_id)
    await close_buttons(
        update, t("codev.remove.done", person=person(t, removed), name=departure.group.name)
    )
    await tell(context, person_id, "codev.remove.notice", name=departure.group.name)
    await offer_next(context, departure)


@codev_handler(Role.FACILITATOR, "codev_claim")
async def on_claim(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A facilitator or animator takes over a group left without a facilitator."""
    fields = await pressed(update, t, CLAIM)
    if fields is None:
        return
    group_id = fields["group"]
    group = await context.services.codev.groups.claim(member.user_id, group_id)
    await close_buttons(update, t("codev.claim.done", name=group.name))


@codev_handler(Role.FACILITATOR, "codev_bind")
async def bind_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/codev_lier in a Telegram group chat: the facilitator picks the group in private."""
    chat = update.effective_chat
    assert chat is not None
    if chat.type == chat.PRIVATE:
        await say(update, t("codev.bind.in_group"))
        return
    groups = await context.services.codev.groups.bindable(member.user_id)
    if not groups:
        await say(update, t("codev.bind.no_group"))
        return

    def rows(pt: Translator) -> list[list[Button]]:
        return [[(g.name, BIND.pack(group=g.id, chat=chat.id))] for g in groups]

    title = chat.title or str(chat.id)
    if await tell(context, member.user_id, "codev.bind.pick", rows, title=title):
        await say(update, t("codev.bind.see_private"))


async def _announce_in_chat(context: MaillageContext, group: Group, key: str) -> None:
    """One message in the group's chat, in the network's language."""
    assert group.chat_id is not None
    services = context.services
    t = services.translator(services.settings.language)
    await context.bot.send_message(group.chat_id, t(key, name=group.name))


@codev_handler(Role.FACILITATOR, "codev_bind_pick")
async def on_bind(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Bind the chosen group to the Telegram group chat; the chat is told."""
    fields = await pressed(update, t, BIND)
    if fields is None:
        return
    group_id, chat_id = fields["group"], fields["chat"]
    groups = context.services.codev.groups
    await groups.bind_chat(member.user_id, group_id, chat_id)
    group = await groups.get(group_id)
    assert group is not None
    title = await groups.chat_title(group)
    await close_buttons(update, t("codev.bind.done", name=group.name, title=title or ""))
    await _announce_in_chat(context, group, "codev.bind.announce")


@codev_handler(Role.FACILITATOR, "codev_unbind")
async def on_unbind(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Forget the group's Telegram group chat."""
    fields = await pressed(update, t, UNBIND)
    if fields is None:
        return
    group_id = fields["group"]
    group = await context.services.codev.groups.unbind_chat(member.user_id, group_id)
    await acknowledge(query_of(update))
    await say(update, t("codev.bind.unbound", name=group.name))


def build() -> list[BaseHandler]:
    """Handlers of the group's roster and chat."""
    return [
        CommandHandler(BIND_COMMANDS, bind_command, filters=filters.ChatType.GROUPS),
        CallbackQueryHandler(on_invite, pattern=INVITE.pattern),
        CallbackQueryHandler(on_revoke, pattern=REVOKE.pattern),
        CallbackQueryHandler(on_leave, pattern=LEAVE.pattern),
        CallbackQueryHandler(on_leave_ok, pattern=LEAVE_OK.pattern),
        CallbackQueryHandler(on_remove, pattern=REMOVE.pattern),
        CallbackQueryHandler(on_remove_ok, pattern=REMOVE_OK.pattern),
        CallbackQueryHandler(on_claim, pattern=CLAIM.pattern),
        CallbackQueryHandler(on_bind, pattern=BIND.pattern),
        CallbackQueryHandler(on_unbind, pattern=UNBIND.pattern),
    ]
