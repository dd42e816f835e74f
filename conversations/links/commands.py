"""/lier (/link), /lier CODE, /delier (/unlink) and the button that undoes a link.

``/lier`` alone shows a registered member a one-time code; the same command followed by
the code, typed from an account of the other messenger, links that account to them. The
member's own account is told at once, with a button to undo the link.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.context import MaillageContext
from bot.domain.links import Link, LinkError, other_transport
from bot.domain.members import Member
from bot.i18n import Translator
from bot.telling import tell_rendered
from bot.transports import transport_of_id
from conversations.common import (
    acknowledge,
    command_args,
    member_only,
    replace_with,
    say,
    translator_for,
    unpack_press,
)
from conversations.links.buttons import UNLINK, messenger

logger = logging.getLogger(__name__)
LINK_COMMANDS = ["lier", "link"]
UNLINK_COMMANDS = ["delier", "unlink"]


async def link_command(update: Update, context: MaillageContext) -> None:
    """/lier: a code for a member; /lier CODE: link this account to the code's member."""
    typed = command_args(context)
    if typed:
        await _use_code(update, context, typed)
        return
    user = update.effective_user
    assert user is not None
    member = await context.services.members.get(user.id)
    if member is None or not member.is_registered:
        t = await translator_for(update, context)
        await say(update, t("links.not_member"))
        return
    await _show_code(update, context)


@member_only()
async def _show_code(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The member's fresh code and how to use it on the other messenger."""
    try:
        code, expires = await context.services.links.new_code(member.user_id)
    except LinkError as error:
        await say(update, _refusal(t, error))
        return
    other = other_transport(transport_of_id(member.user_id))
    await say(update, t(f"links.code.{other.value}", code=code, until=t.datetime(expires)))


async def _use_code(update: Update, context: MaillageContext, typed: str) -> None:
    """Link the account that typed the code, or say why not; tell the member's account."""
    services = context.services
    user = update.effective_user
    assert user is not None
    try:
        link = await services.links.link(user.id, typed)
    except LinkError as error:
        await say(update, _refusal(await translator_for(update, context), error))
        return
    member = await services.members.get(link.member_id)
    assert member is not None
    t = services.translator(member.language)
    await say(
        update,
        t(
            "links.linked",
            linked=messenger(t, link.transport),
            name=member.display_name or "",
            home=messenger(t, link.home),
        ),
    )
    await _notify_member(context, link)


async def _notify_member(context: MaillageContext, link: Link) -> None:
    """Tell the member's first account at once, with the way back."""
    await tell_rendered(
        context,
        link.member_id,
        lambda t: t(
            "links.notice", linked=messenger(t, link.transport), when=t.datetime(link.linked_at)
        ),
        lambda t: [[_unlink_button(t, link)]],
    )


def _unlink_button(t: Translator, link: Link) -> tuple[str, str]:
    """The button that unlinks this link's account."""
    label = t("links.button.unlink", linked=messenger(t, link.transport))
    return str(label), UNLINK.pack(a=link.account_id)


def _refusal(t: Translator, error: LinkError) -> str:
    """A refusal in the person's language, the messenger named."""
    params = dict(error.params)
    if "messenger" in params:
        params["messenger"] = messenger(t, str(params["messenger"]))
    return str(t(f"links.refused.{error.code}", **params))


@member_only()
async def unlink_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/delier: undo the member's link."""
    link = await context.services.links.unlink(member.user_id)
    if link is None:
        await say(update, t("links.no_link"))
        return
    await say(update, t("links.unlinked", linked=messenger(t, link.transport)))
    await _tell_account(context, link, member, t)


@member_only()
async def on_unlink(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The unlink button (under the notice, in /preferences); stale or forged ones expire."""
    data = await unpack_press(update, t, UNLINK, lambda d: d["a"].isdigit())
    if data is None:
        return
    links = context.services.links
    link = await links.link_of(member.user_id)
    if link is None or link.account_id != int(data["a"]):
        assert update.callback_query is not None
        await acknowledge(update.callback_query, t("buttons.expired"))
        return
    await links.unlink(member.user_id)
    await replace_with(update, t("links.unlinked", linked=messenger(t, link.transport)))
    await _tell_account(context, link, member, t)


async def _tell_account(
    context: MaillageContext, link: Link, member: Member, t: Translator
) -> None:
    """Tell the account it was unlinked (in the member's language), if it can be reached."""
    text = t("links.unlinked_account", home=messenger(t, link.home))
    try:
        await context.bot.send_message(link.account_id, text)
    except TelegramError as error:  # an account that never opened the chat, or blocked it
        logger.info("unlinked account %s not told: %s", link.account_id, error)


def code_typed() -> list[BaseHandler]:
    """``/lier CODE``, heard before any conversation (registration included).

    Someone who opens the bot on their other messenger and starts registering there may
    remember, mid-way, that they are a member already: the code is their way out, so no
    pending question holds it back (a refused code leaves the question where it was).
    """
    return [CommandHandler(LINK_COMMANDS, link_command, filters.ChatType.PRIVATE, has_args=True)]


def build() -> list[BaseHandler]:
    """The links' commands and the unlink button."""
    return [
        CommandHandler(LINK_COMMANDS, link_command, filters.ChatType.PRIVATE),
        CommandHandler(UNLINK_COMMANDS, unlink_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(on_unlink, pattern=UNLINK.pattern),
    ]
