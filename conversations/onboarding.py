"""/start: welcome, privacy consent, the four profile questions, confirmation."""

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

from bot.context import MaillageContext
from bot.domain.members import PROFILE_FIELDS
from bot.i18n import Translator
from conversations import menu
from conversations.cancel import cancel_handlers
from conversations.common import acknowledge, close_buttons, keyboard, say, translator_for
from conversations.deep_links import route_deep_link
from conversations.onboarding_buttons import CONFIRM, CONSENT, EDIT
from conversations.profile_fields import (
    FIELD_STATE_PREFIX,
    ask_field,
    field_state,
    show_summary,
    store_answer,
)

CONSENT_STATE = "consent"
CONFIRM_STATE = "confirm"
EDIT_STATE_PREFIX = "edit:"


async def start(update: Update, context: MaillageContext) -> str | int:
    """Greet: consent for newcomers, the next question for the half-registered, the menu."""
    user = update.effective_user
    assert user is not None
    t = await translator_for(update, context)
    routed = bool(context.args) and await route_deep_link(update, context, context.args[0], t)
    member = await context.services.members.get(user.id)
    if member is None:
        name = context.services.settings.network_name
        await say(update, t("onboarding.welcome", network=name, first_name=user.first_name))
        await say(
            update,
            t("onboarding.privacy_notice", network=name),
            keyboard(
                [
                    [
                        (t("onboarding.accept"), CONSENT.pack(answer="yes")),
                        (t("onboarding.refuse"), CONSENT.pack(answer="no")),
                    ]
                ]
            ),
        )
        return CONSENT_STATE
    if not member.is_registered:
        return await _next_step(update, context, t)
    if not routed:  # a followed link already answered: no menu on top of it
        await menu.show_menu(update, context, member, t)
    return ConversationHandler.END


async def on_consent(update: Update, context: MaillageContext) -> str | int:
    """Store the consent (or only the refusal) and go on."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    t = await translator_for(update, context)
    values = CONSENT.unpack(query.data)
    if values is None:
        await acknowledge(query, t("buttons.expired"))
        return CONSENT_STATE
    if values["answer"] != "yes":
        await context.services.members.refuse_privacy(update.effective_user.id)
        await close_buttons(update, t("onboarding.refused"))
        return ConversationHandler.END
    await context.services.members.accept_privacy(update.effective_user.id, t.language)
    await close_buttons(update, t("onboarding.accepted"))
    return await _next_step(update, context, t)


async def _next_step(update: Update, context: MaillageContext, t: Translator) -> str:
    """Ask the first unanswered field, or show the confirmation screen."""
    assert update.effective_user is not None
    member = await context.services.members.get(update.effective_user.id)
    assert member is not None
    missing = member.missing_fields()
    if missing:
        return await ask_field(update, t, missing[0])
    await show_summary(update, t, member, EDIT, [(t("onboarding.confirm"), CONFIRM.pack())])
    return CONFIRM_STATE


async def on_field(update: Update, context: MaillageContext, field: str) -> str:
    """Store an answer during the first pass, then move to the next question.

    The answer is for the first field the database lacks, whatever the state says: a state
    is saved up to a second late, and a ``kill -9`` brings the previous one back.
    """
    t = await translator_for(update, context)
    assert update.effective_user is not None
    member = await context.services.members.get(update.effective_user.id)
    if member is not None:
        missing = member.missing_fields()
        if not missing:  # all answered already: show where the member is
            return await _next_step(update, context, t)
        field = missing[0]
    if not await store_answer(update, context, field, t):
        return field_state(field)
    return await _next_step(update, context, t)


async def on_edit_request(update: Update, context: MaillageContext) -> str:
    """The member wants to change one field before confirming."""
    query = update.callback_query
    assert query is not None
    t = await translator_for(update, context)
    values = EDIT.unpack(query.data)
    if values is None or values["field"] not in PROFILE_FIELDS:
        await acknowledge(query, t("buttons.expired"))
        return CONFIRM_STATE
    await acknowledge(query)
    await ask_field(update, t, values["field"])
    return EDIT_STATE_PREFIX + values["field"]


async def on_edited(update: Update, context: MaillageContext, field: str) -> str:
    """Store the corrected field and show the confirmation screen again."""
    t = await translator_for(update, context)
    if not await store_answer(update, context, field, t):
        return EDIT_STATE_PREFIX + field
    return await _next_step(update, context, t)


async def on_confirm(update: Update, context: MaillageContext) -> int:
    """Registration complete: welcome and main menu."""
    assert update.effective_user is not None
    t = await translator_for(update, context)
    members = context.services.members
    await members.complete_registration(update.effective_user.id)
    await close_buttons(
        update, t("onboarding.registered", network=context.services.settings.network_name)
    )
    member = await members.get(update.effective_user.id)
    assert member is not None
    await menu.show_menu(update, context, member, t)
    return ConversationHandler.END


def _text_states(prefix: str, callback: object) -> dict[object, list[BaseHandler]]:
    """One state per field whose handler receives any non-command message."""
    return {
        prefix + field: [
            MessageHandler(~filters.COMMAND, partial(callback, field=field))  # type: ignore[arg-type]
        ]
        for field in PROFILE_FIELDS
    }


def build() -> list[BaseHandler]:
    """The onboarding conversation, persisted across restarts."""
    return [
        ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={
                CONSENT_STATE: [CallbackQueryHandler(on_consent, pattern=CONSENT.pattern)],
                CONFIRM_STATE: [
                    CallbackQueryHandler(on_confirm, pattern=CONFIRM.pattern),
                    CallbackQueryHandler(on_edit_request, pattern=EDIT.pattern),
                ],
                **_text_states(FIELD_STATE_PREFIX, on_field),
                **_text_states(EDIT_STATE_PREFIX, on_edited),
            },
            fallbacks=cancel_handlers(),
            name="onboarding",
            persistent=True,
            allow_reentry=True,
        )
    ]
