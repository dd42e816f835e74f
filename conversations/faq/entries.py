"""Animators type entries: a new theme, a new entry (French, then English), one language again.

An entry is typed as one message, its question on the first line and its answer below
(formatting kept as Telegram HTML); ``/passer`` skips a language (one is needed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.context import MaillageContext
from bot.domain.faq import Version
from bot.domain.faq.text import parse_entry
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import member_only, unpack_press
from conversations.faq.buttons import EDIT, NEW_THEME, PICK
from conversations.faq.replies import expire, show
from conversations.faq.typing import END, begin, done, typed
from conversations.faq.views import entry_view, paragraphs

SKIPPABLE = ("entry_fr", "entry_en")


def _version(draft: Any) -> Version | None:
    return Version(*draft) if draft else None


@member_only(Role.ANIMATOR, "faq_add")
async def start_add(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """A theme chosen for a new entry (or a new theme to name first)."""
    values = await unpack_press(
        update,
        t,
        PICK,
        lambda v: v["purpose"] == "add" and (v["theme"] == NEW_THEME or v["theme"].isdigit()),
    )
    if values is None:
        return END
    if values["theme"] == NEW_THEME:
        return await begin(update, context, member, "theme_name", t("faq.add.ask_theme"))
    theme = await context.services.faq.entries.theme(int(values["theme"]))
    if theme is None:
        await expire(update, t)
        return END
    return await begin(update, context, member, "entry_fr", t("faq.add.ask_fr"), theme.id)


@typed("theme_name", Role.ANIMATOR)
async def on_theme_name(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """A new theme's names; then the entry's French version."""
    await context.services.faq.pending(member.user_id, "theme_name")
    theme = await context.services.faq.add_theme(text)
    question = paragraphs(
        t("faq.add.theme_added", name=theme.name(t.language)), t("faq.add.ask_fr")
    )
    return await begin(update, context, member, "entry_fr", question, theme.id)


@typed("entry_fr", Role.ANIMATOR, html=True)
async def on_entry_fr(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The French version (or /passer); then the English one."""
    theme_id, _ = await context.services.faq.pending(member.user_id, "entry_fr")
    french = parse_entry(text) if text is not None else None
    draft = [french.question, french.answer] if french else None
    return await begin(update, context, member, "entry_en", t("faq.add.ask_en"), theme_id, draft)


@typed("entry_en", Role.ANIMATOR, html=True)
async def on_entry_en(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The English version (or /passer): the entry is added."""
    faq = context.services.faq
    theme_id, draft = await faq.pending(member.user_id, "entry_en")
    english = parse_entry(text) if text is not None else None
    entry = await faq.add_entry(theme_id or 0, _version(draft), english)
    text_, rows = entry_view(t, entry, staff=True)
    await show(update, paragraphs(t("faq.add.done"), text_), rows)
    return await done(context, member)


@member_only(Role.ANIMATOR, "faq_version")
async def start_version(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """✏️ FR or ✏️ EN on an entry: type that language's version again."""
    values = await unpack_press(
        update,
        t,
        EDIT,
        lambda v: v["entry"].isdigit() and v["pos"].isdigit() and v["action"] in ("fr", "en"),
    )
    if values is None:
        return END
    entry = await context.services.faq.entries.entry(int(values["entry"]))
    if entry is None:
        await expire(update, t)
        return END
    language = values["action"]
    current = getattr(entry, language)
    shown = t("faq.edit.current", question=current.question) if current else t("faq.edit.missing")
    question = paragraphs(shown, t(f"faq.edit.ask_{language}"))
    return await begin(update, context, member, "version", question, entry.id, language)


@typed("version", Role.ANIMATOR, html=True)
async def on_version(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """One language of an entry, typed again."""
    faq = context.services.faq
    entry_id, language = await faq.pending(member.user_id, "version")
    entry = await faq.set_version(entry_id or 0, language, parse_entry(text))
    text_, rows = entry_view(t, entry, staff=True)
    await show(update, paragraphs(t("faq.edit.saved"), text_), rows)
    return await done(context, member)


ANSWERS: dict[str, Callable[..., Any]] = {
    "theme_name": on_theme_name,
    "entry_fr": on_entry_fr,
    "entry_en": on_entry_en,
    "version": on_version,
}
