"""The animators' typed settings: fixed room, windows, reminders, typed rule, one-off session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.visio.inputs import clean_title
from bot.i18n import Translator
from conversations.common import member_only, say
from conversations.typed_inputs import END, StaleInput
from conversations.visio.asking import answer, begin, done
from conversations.visio.slot_wizard import slot_saved
from schedules.visio import arm, publish
from schedules.visio import messages as m
from schedules.visio.buttons import ADMIN

SETTING_QUESTIONS = {
    "link": ("link", "visio.settings.ask_link"),
    "windows": ("windows", "visio.settings.ask_windows"),
    "reminders": ("reminders", "visio.settings.ask_reminders"),
    "rule": ("rule", "visio.slot.ask_rule"),
    "oneoff": ("oneoff_title", "visio.oneoff.ask_title"),
}
"""For each panel button that needs typing: the input's kind and its question."""


@member_only(Role.ANIMATOR, "visio_settings")
async def start_setting(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """A settings button that needs typing: fixed room, windows, reminders, rule, one-off."""
    values = ADMIN.unpack(update.callback_query.data if update.callback_query else None)
    question = SETTING_QUESTIONS.get(values["item"] if values else "")
    if question is None:
        return END
    kind, key = question
    return await begin(update, context, member, kind, t(key))


async def _replanned(context: MaillageContext, member: Member) -> int:
    """Re-plan the coming sessions after a change of settings, and leave."""
    await arm(context.application, context.services)
    return await done(context, member)


@answer("rule", Role.ANIMATOR)
async def on_rule(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """A typed RFC 5545 rule with its time and length."""
    await context.services.visio.cycle.set_typed_slot(text or "")
    await say(update, await slot_saved(context, t))
    return await _replanned(context, member)


@answer("link", Role.ANIMATOR)
async def on_link(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The fixed video room."""
    settings = await context.services.visio.cycle.set_link(text or "")
    await say(update, t("visio.settings.link_saved", link=settings.link))
    return await done(context, member)


@answer("windows", Role.ANIMATOR)
async def on_windows(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The proposal and vote windows."""
    s = await context.services.visio.cycle.set_windows(text or "")
    await say(
        update,
        t(
            "visio.settings.windows_saved",
            proposal=s.proposal_days,
            opens=s.vote_open_days,
            closes=s.vote_close_days,
        ),
    )
    return await _replanned(context, member)


@answer("reminders", Role.ANIMATOR)
async def on_reminders(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """When reminders go out."""
    settings = await context.services.visio.cycle.set_reminders(text or "")
    listed = (
        m.reminders(t, settings.reminders) if settings.reminders else t("visio.admin.no_reminders")
    )
    await say(update, t("visio.settings.reminders_saved", reminders=listed))
    return await _replanned(context, member)


@answer("oneoff_title", Role.ANIMATOR)
async def on_oneoff_title(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The one-off session's title; then its date."""
    title = clean_title(text)
    question = t("visio.oneoff.ask_date", zone=str(t.timezone))
    return await begin(update, context, member, "oneoff_date", question, draft=title)


@answer("oneoff_date", Role.ANIMATOR)
async def on_oneoff_date(
    update: Update, context: MaillageContext, member: Member, t: Translator, text: str | None
) -> str | int:
    """The one-off session's date: created, invitation sent to every member."""
    services = context.services
    pending = await services.visio.pending_input(member.user_id)
    if pending is None or pending.kind != "oneoff_date" or not pending.draft:
        raise StaleInput
    notices = await services.visio.cycle.create_oneoff(pending.draft, text or "")
    await publish(context.application, services, notices)
    await arm(context.application, services)
    await say(update, t("visio.oneoff.created"))
    return await done(context, member)


ANSWERS: dict[str, Callable[..., Any]] = {
    "rule": on_rule,
    "link": on_link,
    "windows": on_windows,
    "reminders": on_reminders,
    "oneoff_title": on_oneoff_title,
    "oneoff_date": on_oneoff_date,
}
