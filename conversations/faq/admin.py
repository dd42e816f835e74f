"""Animators' buttons that need no typing: order, theme, removal, publication, waiting list.

Every press re-checks the role (``member_only``: refusals audited) and re-reads the row:
an entry deleted meanwhile, or moved since the list was shown, expires the button.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import partial

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.faq import Entry, FaqError, FaqService
from bot.domain.faq.model import PAGE_SIZE
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import member_only, unpack_press
from conversations.faq.buttons import EDIT, HOME, PICK, QUESTION, digits
from conversations.faq.replies import expire, home_press, refuse, show
from conversations.faq.views import (
    entry_view,
    paragraphs,
    pick_view,
    question_rows,
    question_text,
    theme_view,
    waiting_view,
)


def _check(values: dict[str, str], actions: tuple[str, ...]) -> bool:
    return values["entry"].isdigit() and values["pos"].isdigit() and values["action"] in actions


@member_only(Role.ANIMATOR, "faq_add")
async def on_add(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """➕: choose the new entry's theme (or create one)."""
    if not await home_press(update, t, "add"):
        return
    themes = await context.services.faq.entries.themes()
    await show(update, t("faq.add.pick_theme"), pick_view(t, themes, "add", 0, new=True))


@member_only(Role.ANIMATOR, "faq_waiting")
async def on_waiting(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The questions waiting for an answer."""
    if not await home_press(update, t, "waiting"):
        return
    await show(update, *waiting_view(t, await context.services.faq.questions.waiting()))


@member_only(Role.ANIMATOR, "faq_question")
async def on_question(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """One waiting question, with its answer button."""
    values = await unpack_press(update, t, QUESTION, lambda v: v["question"].isdigit())
    if values is None:
        return
    try:
        question = await context.services.faq.open_question(int(values["question"]))
    except FaqError as error:
        await refuse(update, t, error)
        return
    asker = await context.services.members.get(question.user_id or 0)
    name = asker.display_name if asker and asker.display_name else "—"
    await show(update, question_text(t, question, name), question_rows(t, question))


async def _move(update: Update, t: Translator, faq: FaqService, entry: Entry, step: int) -> None:
    """One place up or down; the theme's list shown again at the entry's page."""
    if not await faq.move(entry.id, entry.position, step):
        await refuse(update, t, FaqError("cannot_up" if step < 0 else "cannot_down"))
        return
    theme = await faq.entries.theme(entry.theme_id)
    entries = await faq.entries.entries(entry.theme_id)
    assert theme is not None
    page = [e.id for e in entries].index(entry.id) // PAGE_SIZE
    await show(update, *theme_view(t, theme, entries, page))


async def _offer_themes(update: Update, t: Translator, faq: FaqService, entry: Entry) -> None:
    """The other themes, to move the entry to."""
    themes = [th for th in await faq.entries.themes() if th.id != entry.theme_id]
    if not themes:
        await refuse(update, t, FaqError("no_other_theme"))
        return
    await show(update, t("faq.edit.pick_theme"), pick_view(t, themes, "move", entry.id, False))


async def _confirm_removal(update: Update, t: Translator, faq: FaqService, entry: Entry) -> None:
    """The entry as members see it, and the button that deletes it."""
    confirm = EDIT.pack(entry=entry.id, action="delok", pos=entry.position)
    text, _ = entry_view(t, entry, staff=False)
    await show(update, paragraphs(text, t("faq.edit.confirm")), [[(t("faq.edit.delok"), confirm)]])


async def _remove(update: Update, t: Translator, faq: FaqService, entry: Entry) -> None:
    """Delete the entry (already gone: said so)."""
    try:
        await faq.remove(entry.id)
    except FaqError as error:
        await refuse(update, t, error)
        return
    home = HOME.pack(item="home", page=0)
    await show(update, t("faq.edit.removed"), [[(t("faq.button.home"), home)]])


EDITS: dict[str, Callable[[Update, Translator, FaqService, Entry], Awaitable[None]]] = {
    "up": partial(_move, step=-1),
    "down": partial(_move, step=1),
    "theme": _offer_themes,
    "del": _confirm_removal,
    "delok": _remove,
}


@member_only(Role.ANIMATOR, "faq_edit")
async def on_edit(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """⬆️ ⬇️ 🗂 🗑 on an entry (the position seen must still be its position)."""
    values = await unpack_press(update, t, EDIT, lambda v: _check(v, tuple(EDITS)))
    if values is None:
        return
    faq = context.services.faq
    entry = await faq.entries.entry(int(values["entry"]))
    if entry is None or entry.position != int(values["pos"]):
        await expire(update, t)
        return
    await EDITS[values["action"]](update, t, faq, entry)


@member_only(Role.ANIMATOR, "faq_pick")
async def on_pick(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """A theme chosen to move an entry to, or to publish an answered question in."""
    check = digits("ref", "theme")
    values = await unpack_press(
        update, t, PICK, lambda v: v["purpose"] in ("move", "pub") and check(v)
    )
    if values is None:
        return
    faq = context.services.faq
    ref, theme_id = int(values["ref"]), int(values["theme"])
    try:
        if values["purpose"] == "move":
            entry = await faq.change_theme(ref, theme_id)
            await show(update, *entry_view(t, entry, staff=True))
            return
        entry = await faq.publish(ref, theme_id)
    except FaqError as error:
        await refuse(update, t, error)
        return
    text, rows = entry_view(t, entry, staff=True)
    await show(update, paragraphs(t("faq.publish.done"), text), rows)


def build() -> list[BaseHandler]:
    """The animators' buttons."""
    home = HOME.prefix
    return [
        CallbackQueryHandler(on_add, pattern=re.compile(rf"^{home}:{HOME.version}:add:")),
        CallbackQueryHandler(on_waiting, pattern=re.compile(rf"^{home}:{HOME.version}:waiting:")),
        CallbackQueryHandler(
            on_question, pattern=re.compile(rf"^{QUESTION.prefix}:\d+:[^:]+:show$")
        ),
        CallbackQueryHandler(
            on_edit, pattern=re.compile(rf"^{EDIT.prefix}:\d+:[^:]+:(up|down|theme|del|delok):")
        ),
        CallbackQueryHandler(on_pick, pattern=re.compile(rf"^{PICK.prefix}:\d+:(move|pub):")),
    ]
