"""/langue (/language): choose French or English."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callback_data import CallbackSpec
from bot.config import SUPPORTED_LANGUAGES
from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.commands import publish_member_commands
from conversations.common import acknowledge, close_buttons, keyboard, member_only, say

LANGUAGE = CallbackSpec("lang", "code")
LANGUAGE_COMMANDS = ["langue", "language"]


async def show_choices(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Offer the languages, each labelled in itself."""
    buttons = [
        (t(f"language.name.{code}"), LANGUAGE.pack(code=code)) for code in SUPPORTED_LANGUAGES
    ]
    await say(update, t("language.choose"), keyboard([buttons]))


@member_only()
async def language_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/langue."""
    await show_choices(update, context, member, t)


@member_only()
async def on_language(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Store the chosen language and confirm in it."""
    query = update.callback_query
    assert query is not None
    values = LANGUAGE.unpack(query.data)
    if values is None or values["code"] not in SUPPORTED_LANGUAGES:
        await acknowledge(query, t("buttons.expired"))
        return
    await context.services.members.set_language(member.user_id, values["code"])
    if member.role is not Role.MEMBER:
        updated = await context.services.members.get(member.user_id)
        assert updated is not None
        await publish_member_commands(context.bot, context.services, updated)
    new_t = context.services.translator(values["code"])
    await close_buttons(update, new_t("language.changed"))


def build() -> list[BaseHandler]:
    """Language handlers."""
    return [
        CommandHandler(LANGUAGE_COMMANDS, language_command),
        CallbackQueryHandler(on_language, pattern=LANGUAGE.pattern),
    ]
