"""/roles: animators see the staff, find a member and promote or demote them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.membership import RoleChange
from bot.i18n import Translator
from conversations.commands import publish_member_commands
from conversations.common import (
    acknowledge,
    close_buttons,
    command_args,
    keyboard,
    member_only,
    say,
    tell_member,
)

PICK = CallbackSpec("role_pick", "user")
SET = CallbackSpec("role_set", "user", "role")


def _label(t: Translator, member: Member) -> str:
    return t(
        "roles.member_line",
        name=member.display_name or str(member.user_id),
        organisation=member.organisation or "—",
        role=t(f"roles.name.{member.role}"),
    )


@member_only(Role.ANIMATOR, "roles")
async def roles_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/roles [name]: the staff list, or the members matching a name."""
    query = command_args(context)
    members = context.services.members
    if not query:
        staff = await members.staff()
        lines = [t("roles.staff_title"), *(_label(t, m) for m in staff), "", t("roles.usage")]
        await say(update, "\n".join(lines))
        return
    found = await members.search(query)
    if not found:
        await say(update, t("roles.no_match", query=query))
        return
    rows = [[(_label(t, m), PICK.pack(user=m.user_id))] for m in found]
    await say(update, t("roles.pick"), keyboard(rows))


@member_only(Role.ANIMATOR, "roles_pick")
async def on_pick(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A member was chosen: offer the three roles."""
    query = update.callback_query
    assert query is not None
    values = PICK.unpack(query.data)
    target = None
    if values is not None and values["user"].isdigit():
        target = await context.services.members.get(int(values["user"]))
    if target is None:
        await acknowledge(query, t("buttons.expired"))
        return
    await acknowledge(query)
    buttons = [(t(f"roles.name.{role}"), SET.pack(user=target.user_id, role=role)) for role in Role]
    await say(update, t("roles.choose", member=_label(t, target)), keyboard([buttons]))


@member_only(Role.ANIMATOR, "roles_set")
async def on_set(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Apply the chosen role and tell the member concerned."""
    query = update.callback_query
    assert query is not None
    values = SET.unpack(query.data)
    if values is None or not values["user"].isdigit() or values["role"] not in set(Role):
        await acknowledge(query, t("buttons.expired"))
        return
    target_id, role = int(values["user"]), Role(values["role"])
    services = context.services
    outcome = await services.members.change_role(member.user_id, target_id, role)
    await close_buttons(update, t(f"roles.outcome.{outcome}", role=t(f"roles.name.{role}")))
    target = await services.members.get(target_id)
    if outcome is RoleChange.DONE and target is not None:
        await publish_member_commands(context.bot, services, target)
        role_name = services.translator(target.language)(f"roles.name.{role}")
        await tell_member(context, target_id, "roles.you_are_now", role=role_name)


def build() -> list[BaseHandler]:
    """Role management handlers."""
    return [
        CommandHandler("roles", roles_command),
        CallbackQueryHandler(on_pick, pattern=PICK.pattern),
        CallbackQueryHandler(on_set, pattern=SET.pattern),
    ]
