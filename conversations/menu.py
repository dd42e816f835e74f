"""/menu and /aide: the inline main menu and the help text, adapted to the member's role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations import language, privacy, profile
from conversations.codev import home as codev_home
from conversations.common import acknowledge, keyboard, member_only, say, translator_for
from conversations.diagnostic import home as diagnostic
from conversations.directory import browsing as directory_browsing
from conversations.faq import browse as faq_browse
from conversations.newsletter import preferences
from conversations.projects import home as projects_home
from conversations.visio import member as visio_member

MENU = CallbackSpec("menu", "item")
HELP_COMMANDS = ["aide", "help"]


MENU_ROWS = (
    ("diagnostic", "visio"),
    ("codev", "profile"),
    ("faq",),
    ("projects",),
    ("preferences", "language"),
    ("help", "my_data"),
    ("directory",),
)


def _actions() -> dict[str, Callable[[Update, MaillageContext], Awaitable[object]]]:
    """Each menu item runs the same handler as its command (role checks included)."""
    return {
        "diagnostic": diagnostic.diagnostic_command,
        "visio": visio_member.visio_command,
        "codev": codev_home.codev_command,
        "faq": faq_browse.faq_command,
        "projects": projects_home.projects_command,
        "profile": profile.profile_command,
        "preferences": preferences.preferences_command,
        "language": language.language_command,
        "help": help_command,
        "my_data": privacy.export_command,
        "directory": directory_browsing.directory_command,
    }


async def show_menu(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Send the main menu."""
    rows = [[(t(f"menu.{item}"), MENU.pack(item=item)) for item in row] for row in MENU_ROWS]
    await say(
        update, t("menu.title", network=context.services.settings.network_name), keyboard(rows)
    )


def help_text(t: Translator, member: Member | None) -> str:
    """The commands this person may use."""
    parts = [t("help.member")]
    if member is not None and member.has_role(Role.FACILITATOR):
        parts.append(t("help.facilitator"))
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
    """A menu button: run the same handler as the matching command."""
    query = update.callback_query
    assert query is not None
    values = MENU.unpack(query.data)
    action = _actions().get(values["item"]) if values else None
    if action is None:
        await acknowledge(query, t("buttons.expired"))
        return
    await acknowledge(query)
    await action(update, context)


def build() -> list[BaseHandler]:
    """Menu and help handlers."""
    return [
        CommandHandler("menu", menu_command),
        CommandHandler(HELP_COMMANDS, help_command),
        CallbackQueryHandler(on_menu, pattern=MENU.pattern),
    ]
