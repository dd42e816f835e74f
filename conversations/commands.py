"""The command menus Telegram shows: member commands for everyone, more for the staff.

Each entry is (French command, English alias, catalog key of its description, lowest role
that sees it). The default menu (per language) lists the member commands; each animator
and facilitator gets a menu of their own (a chat scope) with theirs added, refreshed
whenever their role changes.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.domain.members import Member, Role
from bot.i18n import Translator
from bot.services import Services

logger = logging.getLogger(__name__)

COMMANDS: tuple[tuple[str, str, str, Role], ...] = (
    ("start", "start", "commands.start", Role.MEMBER),
    ("menu", "menu", "commands.menu", Role.MEMBER),
    ("diagnostic", "diagnostic", "diagnostic.command", Role.MEMBER),
    ("visio", "visio", "visio.command.visio", Role.MEMBER),
    ("proposer", "propose", "visio.command.propose", Role.MEMBER),
    ("codev", "codev", "commands.codev", Role.MEMBER),
    ("faq", "faq", "faq.command", Role.MEMBER),
    ("annuaire", "directory", "directory.command", Role.MEMBER),
    ("projets", "projects", "projects.command", Role.MEMBER),
    ("profil", "profile", "commands.profile", Role.MEMBER),
    ("preferences", "preferences", "preferences.command", Role.MEMBER),
    ("lier", "link", "links.command", Role.MEMBER),
    ("stats", "stats", "stats.command", Role.MEMBER),
    ("langue", "language", "commands.language", Role.MEMBER),
    ("mes_donnees", "my_data", "commands.my_data", Role.MEMBER),
    ("supprimer", "delete_my_data", "commands.erase", Role.MEMBER),
    ("stop", "stop", "commands.stop", Role.MEMBER),
    ("annuler", "cancel", "commands.cancel", Role.MEMBER),
    ("aide", "help", "commands.help", Role.MEMBER),
    ("lettre", "newsletter", "newsletter.command.newsletter", Role.ANIMATOR),
    ("rappel", "reminder", "newsletter.command.reminder", Role.ANIMATOR),
    ("sessions", "sessions", "visio.command.sessions", Role.ANIMATOR),
    ("roles", "roles", "commands.roles", Role.ANIMATOR),
    ("journal", "audit", "audit.command", Role.ANIMATOR),
)


def menu_for(t: Translator, role: Role) -> list[BotCommand]:
    """The commands someone with ``role`` sees, in ``t``'s language."""
    return [
        BotCommand(fr if t.language == "fr" else en, str(t(key)))
        for fr, en, key, lowest in COMMANDS
        if role.rank >= lowest.rank
    ]


async def publish_commands(bot: Bot, services: Services) -> None:
    """The default menus (French, English, and the network's language) and the staff's own."""
    for language in ("fr", "en"):
        commands = menu_for(services.translator(language), Role.MEMBER)
        await bot.set_my_commands(commands, language_code=language)
        if language == services.settings.language:
            await bot.set_my_commands(commands)
    for member in await services.members.staff():
        await publish_member_commands(bot, services, member)


async def publish_member_commands(bot: Bot, services: Services, member: Member) -> None:
    """Give a staff member their menu, or take it back when they become a member again."""
    scope = BotCommandScopeChat(member.user_id)
    try:
        if member.role is Role.MEMBER:
            await bot.delete_my_commands(scope=scope)
        else:
            menu = menu_for(services.translator(member.language), member.role)
            await bot.set_my_commands(menu, scope=scope)
    except TelegramError as error:  # e.g. a staff member who never opened the chat
        logger.info("no command menu for %s: %s", member.user_id, error)
