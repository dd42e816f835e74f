"""Members read the FAQ: /faq (with words: a search), themes, entries, paged buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import MaillageContext
from bot.domain.faq import FaqError
from bot.domain.faq.model import PAGE_SIZE
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import command_args, member_only, unpack_press
from conversations.faq.buttons import ENTRY, HOME, THEME, digits
from conversations.faq.replies import expire, refuse, show, show_home
from conversations.faq.views import entry_view, results_view, theme_view

FAQ_COMMANDS = ["faq"]


async def show_results(update: Update, context: MaillageContext, t: Translator, query: str) -> bool:
    """The entries matching ``query``; False once a refusal was explained."""
    try:
        found = await context.services.faq.search(query)
    except FaqError as error:
        await refuse(update, t, error)
        return False
    await show(update, *results_view(t, found))
    return True


@member_only(action="faq")
async def faq_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/faq: the themes; /faq words: the entries matching them."""
    words = command_args(context)
    if words:
        await show_results(update, context, t, words)
    else:
        await show_home(update, context, member, t)


@member_only(action="faq_home")
async def on_home(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """‹ › under the themes, or back to them."""
    values = await unpack_press(
        update, t, HOME, lambda v: v["item"] == "home" and v["page"].isdigit()
    )
    if values is not None:
        await show_home(update, context, member, t, int(values["page"]))


@member_only(action="faq_theme")
async def on_theme(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A theme: its entries (paged)."""
    values = await unpack_press(update, t, THEME, digits("theme", "page"))
    if values is None:
        return
    faq = context.services.faq
    theme = await faq.entries.theme(int(values["theme"]))
    entries = await faq.entries.entries(theme.id) if theme else []
    if theme is None or not entries:
        await expire(update, t)
        return
    page = int(values["page"])
    page = page if page * PAGE_SIZE < len(entries) else 0
    await show(update, *theme_view(t, theme, entries, page))


@member_only(action="faq_entry")
async def on_entry(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """An entry, in the member's language or the only one there is."""
    values = await unpack_press(update, t, ENTRY, digits("entry"))
    if values is None:
        return
    entry = await context.services.faq.entries.entry(int(values["entry"]))
    if entry is None:
        await expire(update, t)
        return
    await show(update, *entry_view(t, entry, member.has_role(Role.ANIMATOR)))


def build() -> list[BaseHandler]:
    """/faq and the reading buttons."""
    return [
        CommandHandler(FAQ_COMMANDS, faq_command),
        CallbackQueryHandler(on_home, pattern=HOME.pattern),
        CallbackQueryHandler(on_theme, pattern=THEME.pattern),
        CallbackQueryHandler(on_entry, pattern=ENTRY.pattern),
    ]
