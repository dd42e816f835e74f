"""The directory's handlers: typed answers first (a conversation), then buttons and /annuaire."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import MaillageContext
from bot.domain.members import Member
from bot.i18n import Translator
from conversations.common import member_only, unpack_press
from conversations.directory import browsing, inputs, my_card, staff
from conversations.directory.buttons import (
    EXPORT,
    FIND,
    IMPORT,
    MENU,
    MINE,
    SHOW,
    TERRITORY,
)


@member_only()
async def on_menu(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A menu button outside the conversation: territories, the chart, my card, export."""
    items = ("territories", "map", "mine", "export")  # search and import: the conversation
    values = await unpack_press(update, t, MENU, lambda v: v["item"] in items)
    if values is None:
        return
    item = values["item"]
    if item == "territories":
        await browsing.show_territories(update, context, t)
    elif item == "map":
        await browsing.send_chart(update, context, t)
    elif item == "mine":
        await my_card.show_mine(update, context, member, t)
    else:
        await staff.start_export(update, context)


def build() -> list[BaseHandler]:
    """Every directory handler, the conversation's entry points before the other buttons."""
    return [
        *inputs.build(),
        CommandHandler(browsing.DIRECTORY_COMMANDS, browsing.directory_command),
        CallbackQueryHandler(on_menu, pattern=MENU.pattern),
        CallbackQueryHandler(browsing.on_find, pattern=FIND.pattern),
        CallbackQueryHandler(browsing.on_territory, pattern=TERRITORY.pattern),
        CallbackQueryHandler(browsing.on_show, pattern=SHOW.pattern),
        CallbackQueryHandler(my_card.on_mine, pattern=MINE.pattern),
        CallbackQueryHandler(staff.on_import_press, pattern=IMPORT.pattern),
        CallbackQueryHandler(staff.on_export, pattern=EXPORT.pattern),
    ]
