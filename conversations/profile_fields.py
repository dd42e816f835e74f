"""Asking, checking and showing the four profile fields; shared by onboarding and /profil."""

from __future__ import annotations

from telegram import Update

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.members import PROFILE_FIELDS, Member, ProfileError
from bot.i18n import Translator
from conversations.common import Button, keyboard, say

FIELD_STATE_PREFIX = "field:"


def field_state(field: str) -> str:
    """The conversation state that waits for ``field``."""
    return f"{FIELD_STATE_PREFIX}{field}"


async def ask_field(update: Update, t: Translator, field: str) -> str:
    """Ask for one field and return the state that waits for it."""
    await say(update, t(f"profile.ask.{field}"))
    return field_state(field)


async def store_answer(update: Update, context: MaillageContext, field: str, t: Translator) -> bool:
    """Validate and store the typed answer; on refusal explain and ask again."""
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    if not message.text:
        await say(update, t("profile.text_expected"))
        await ask_field(update, t, field)
        return False
    try:
        await context.services.members.set_profile_field(
            update.effective_user.id, field, message.text
        )
    except ProfileError as error:
        await say(update, t(f"profile.error.{error.code}", limit=error.limit))
        await ask_field(update, t, field)
        return False
    return True


def summary(t: Translator, member: Member) -> str:
    """The profile as the member sees it, every value escaped."""
    lines = [t("profile.summary_title")]
    for field in PROFILE_FIELDS:
        value = getattr(member, field) or t("profile.empty_value")
        lines.append(t("profile.summary_line", label=t(f"profile.label.{field}"), value=value))
    return "\n".join(lines)


def edit_buttons(t: Translator, spec: CallbackSpec) -> list[list[Button]]:
    """One 'edit' button per field, two per row."""
    buttons = [(t(f"profile.edit.{field}"), spec.pack(field=field)) for field in PROFILE_FIELDS]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


async def show_summary(
    update: Update, t: Translator, member: Member, spec: CallbackSpec, extra: list[Button]
) -> None:
    """Send the profile summary with edit buttons and ``extra`` buttons below."""
    rows = edit_buttons(t, spec) + ([extra] if extra else [])
    await say(update, summary(t, member), keyboard(rows))
