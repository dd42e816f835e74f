"""/menu and /aide: the inline main menu and the help text, adapted to the member's role."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations import language, privacy, profile
from conversations.common import acknowledge, keyboard, member_only, say, translator_for

MENU = CallbackSpec("menu", "item")
HELP_COMMANDS = ["aide", "help"]


async def show_menu(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Send the main menu."""
    items = [
        [("menu.profile", "profile"), ("menu.language", "language")],
        [("menu.help", "help"), ("menu.my_data", "my_data")],
        [("menu.unsubscribe" if member.subscribed else "menu.subscribe", "subscription")],
    ]
    rows = [[(t(label), MENU.pack(item=item)) for label, item in row] for row in items]
    await say(
        update, t("menu.title", network=context.services.settings.network_name), keyboard(rows)
    )


def help_text(t: Translator, member: Member | None) -> str:
    """The commands this person may use."""
    parts = [t("help.member")]
    if member is not None and member.has_role(Role.ANIMATOR):
        parts.append(t("help.animator"))
    return "\n\n".join(parts)


@member_only()
async def menu_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/menu."""
    await show_menu(update, context, member, t)


async def help_command(update: Update, context: MaillageContext) -> None:
    """/aide, /help: works before registration too."""
    t = await translator_for(update, context)
    assert update.effective_user is not None
    member = await context.services.members.get(update.effective_user.id)
    await say(update, help_text(t, member if member and member.is_registered else None))


@member_only()
async def on_menu(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A menu button: run the same action as the matching command."""
    query = update.callback_query
    assert query is not None
    values = MENU.unpack(query.data)
    actions = {
        "profile": profile.show_profile,
        "language": language.show_choices,
        "my_data": privacy.send_export,
        "subscription": privacy.toggle_subscription,
    }
    if values is None or (values["item"] not in actions and values["item"] != "help"):
        await acknowledge(query, t("buttons.expired"))
        return
    await acknowledge(query)
    if values["item"] == "help":
        await say(update, help_text(t, member))
        return
    await actions[values["item"]](update, context, member, t)


def build() -> list[BaseHandler]:
    """Menu and help handlers."""
    return [
        CommandHandler("menu", menu_command),
        CommandHandler(HELP_COMMANDS, help_command),
        CallbackQueryHandler(on_menu, pattern=MENU.pattern),
    ]
