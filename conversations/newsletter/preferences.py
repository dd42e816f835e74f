"""/preferences: newsletter and reminders on or off, quiet hours; the opt-out button of broadcasts.

``/stop`` (privacy) silences everything; here the member sees it and can resume. Every
press re-reads the member and answers stale or forged payloads with "ce bouton a expiré".
"""

from __future__ import annotations

from babel.dates import format_time
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.delivery import QuietHours
from bot.delivery.categories import OptOutCategory
from bot.domain.members import Member
from bot.domain.newsletter.preferences import QUIET_PRESETS, MemberPreferences, preset_of
from bot.i18n import Translator
from bot.localized import Rows
from conversations.common import (
    acknowledge,
    keyboard,
    member_only,
    replace_with,
    say,
    unpack_press,
)
from conversations.links.buttons import SEND_TO
from conversations.links.preferences import choose_messenger, messenger_section
from schedules.newsletter.buttons import OPT_OUT

WANT = CallbackSpec("pref_want", "c", "on")
QUIET = CallbackSpec("pref_quiet", "p")
RESUME = CallbackSpec("pref_resume")
UNDO = CallbackSpec("pref_undo", "c")
CATEGORIES = {category.value: category for category in OptOutCategory}
NO_QUIET = "none"
CHOOSE = "choose"


def _clock(t: Translator, hours: QuietHours) -> tuple[str, str]:
    pattern = str(t("preferences.time_format"))
    return (
        format_time(hours.starts, pattern, locale=t.language),
        format_time(hours.ends, pattern, locale=t.language),
    )


def preferences_view(
    t: Translator, preferences: MemberPreferences, section: tuple[list[str], Rows] = ([], [])
) -> tuple[str, Rows]:
    """What the member receives, and the buttons to change it (then another feature's)."""
    lines = [t("preferences.title")]
    rows: Rows = []
    if not preferences.subscribed:
        lines.append(t("preferences.stopped"))
        rows.append([(t("preferences.button.resume"), RESUME.pack())])
    for category in OptOutCategory:
        wanted = preferences.wants(category)
        lines.append(t(f"preferences.{category}_{'on' if wanted else 'off'}"))
        label = t(f"preferences.button.{category}_{'off' if wanted else 'on'}")
        rows.append([(label, WANT.pack(c=category.value, on="0" if wanted else "1"))])
    if preferences.quiet is None:
        lines.append(t("preferences.no_quiet"))
    else:
        starts, ends = _clock(t, preferences.quiet)
        lines.append(t("preferences.quiet", starts=starts, ends=ends, zone=str(t.timezone)))
    rows.append([(t("preferences.button.quiet"), QUIET.pack(p=CHOOSE))])
    return "\n".join([*lines, *section[0]]), [*rows, *section[1]]


def quiet_view(t: Translator, preferences: MemberPreferences) -> tuple[str, Rows]:
    """The quiet-hour presets, the current one ticked."""
    current = preset_of(preferences.quiet) or (NO_QUIET if preferences.quiet is None else "")

    def button(key: str, label: str) -> tuple[str, str]:
        shown = t("preferences.button.chosen", label=label) if key == current else label
        return str(shown), QUIET.pack(p=key)

    presets = [
        button(
            key, str(t("preferences.button.preset", starts=_clock(t, h)[0], ends=_clock(t, h)[1]))
        )
        for key, h in QUIET_PRESETS.items()
    ]
    rows: Rows = [[button(NO_QUIET, str(t("preferences.button.no_quiet")))]]
    rows += [presets[i : i + 2] for i in range(0, len(presets), 2)]
    return str(t("preferences.choose_quiet", zone=str(t.timezone))), rows


async def _view(context: MaillageContext, member: Member, t: Translator) -> tuple[str, Rows]:
    """The preferences screen, up to date, with the linked account's section."""
    preferences = await context.services.newsletters.preferences.get(member.user_id)
    section = messenger_section(t, await context.services.links.link_of(member.user_id))
    return preferences_view(t, preferences, section)


async def _show(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Turn the pressed message into the preferences screen, up to date."""
    await replace_with(update, *await _view(context, member, t))


@member_only()
async def preferences_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/preferences."""
    text, rows = await _view(context, member, t)
    await say(update, text, keyboard(rows))


@member_only()
async def on_want(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Receive a category of send, or not."""
    data = await unpack_press(update, t, WANT, lambda d: d["c"] in CATEGORIES and d["on"] in "01")
    if data is None:
        return
    await context.services.newsletters.preferences.set_wanted(
        member.user_id, CATEGORIES[data["c"]], data["on"] == "1"
    )
    await _show(update, context, member, t)


@member_only()
async def on_quiet(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Show the presets, or apply the one chosen."""
    data = await unpack_press(
        update, t, QUIET, lambda d: d["p"] in {CHOOSE, NO_QUIET, *QUIET_PRESETS}
    )
    if data is None:
        return
    preferences = context.services.newsletters.preferences
    if data["p"] == CHOOSE:
        await replace_with(update, *quiet_view(t, await preferences.get(member.user_id)))
        return
    await preferences.set_quiet(member.user_id, None if data["p"] == NO_QUIET else data["p"])
    await _show(update, context, member, t)


@member_only()
async def on_resume(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Undo /stop from the preferences screen."""
    await context.services.newsletters.preferences.resume(member.user_id)
    await _show(update, context, member, t)


@member_only()
async def on_send_to(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Messages to the member's other messenger (a linked account), or back."""
    if await choose_messenger(update, context, member, t):
        await _show(update, context, member, t)


@member_only()
async def on_opt_out(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The button under a bulk send: no more of its category, with a way back."""
    data = await unpack_press(update, t, OPT_OUT, lambda d: d["c"] in CATEGORIES)
    if data is None:
        return
    category = CATEGORIES[data["c"]]
    await context.services.newsletters.preferences.set_wanted(member.user_id, category, False)
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    undo = [[(t("preferences.button.undo"), UNDO.pack(c=category.value))]]
    await say(update, t(f"preferences.opted_out.{category}"), keyboard(undo))


@member_only()
async def on_undo(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Changed their mind right after opting out."""
    data = await unpack_press(update, t, UNDO, lambda d: d["c"] in CATEGORIES)
    if data is None:
        return
    category = CATEGORIES[data["c"]]
    await context.services.newsletters.preferences.set_wanted(member.user_id, category, True)
    await replace_with(update, t(f"preferences.opted_in.{category}"))


def build() -> list[BaseHandler]:
    """/preferences and its buttons, and the opt-out button of broadcasts."""
    return [
        CommandHandler("preferences", preferences_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(on_want, pattern=WANT.pattern),
        CallbackQueryHandler(on_quiet, pattern=QUIET.pattern),
        CallbackQueryHandler(on_resume, pattern=RESUME.pattern),
        CallbackQueryHandler(on_send_to, pattern=SEND_TO.pattern),
        CallbackQueryHandler(on_opt_out, pattern=OPT_OUT.pattern),
        CallbackQueryHandler(on_undo, pattern=UNDO.pattern),
    ]
