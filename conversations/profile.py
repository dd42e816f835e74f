"""/profil: see one's profile and change any field."""

from __future__ import annotations

from functools import partial

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.members import PROFILE_FIELDS, Member
from bot.i18n import Translator
from conversations.cancel import cancel_handlers
from conversations.common import acknowledge, member_only
from conversations.profile_fields import ask_field, field_state, show_summary, store_answer

EDIT = CallbackSpec("prof_edit", "field")
PROFILE_COMMANDS = ["profil", "profile"]


async def show_profile(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Send the profile with its edit buttons."""
    await show_summary(update, t, member, EDIT, [])


@member_only()
async def profile_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/profil."""
    await show_profile(update, context, member, t)


@member_only()
async def on_edit_request(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """An edit button: ask the new value."""
    query = update.callback_query
    assert query is not None
    values = EDIT.unpack(query.data)
    if values is None or values["field"] not in PROFILE_FIELDS:
        await acknowledge(query, t("buttons.expired"))
        return ConversationHandler.END
    await acknowledge(query)
    return await ask_field(update, t, values["field"])


@member_only()
async def on_new_value(
    update: Update, context: MaillageContext, member: Member, t: Translator, *, field: str
) -> str | int:
    """Store the new value and show the updated profile."""
    if not await store_answer(update, context, field, t):
        return field_state(field)
    updated = await context.services.members.get(member.user_id)
    assert updated is not None
    await show_profile(update, context, updated, t)
    return ConversationHandler.END


def build() -> list[BaseHandler]:
    """The profile conversation."""
    return [
        CommandHandler(PROFILE_COMMANDS, profile_command),
        ConversationHandler(
            entry_points=[CallbackQueryHandler(on_edit_request, pattern=EDIT.pattern)],
            states={
                field_state(field): [
                    MessageHandler(~filters.COMMAND, partial(on_new_value, field=field))
                ]
                for field in PROFILE_FIELDS
            },
            fallbacks=cancel_handlers(),
            name="profile",
            persistent=True,
        ),
    ]
