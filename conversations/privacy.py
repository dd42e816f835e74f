"""/mes_donnees, /supprimer and /stop: a member's rights over their data and broadcasts."""

from __future__ import annotations

import json

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.members import Member
from bot.i18n import Translator
from conversations.common import acknowledge, close_buttons, keyboard, member_only, say

ERASE = CallbackSpec("erase", "answer")
SUBSCRIBE = CallbackSpec("sub", "on")
EXPORT_COMMANDS = ["mes_donnees", "my_data"]
ERASE_COMMANDS = ["supprimer", "delete_my_data"]


async def send_export(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Send every piece of data held about the member as a JSON file."""
    data = await context.services.privacy.export(member.user_id)
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode()
    message = update.effective_message
    assert message is not None
    await message.chat.send_document(
        InputFile(payload, filename="mes_donnees.json" if t.language == "fr" else "my_data.json"),
        caption=t("privacy.export_caption"),
    )


@member_only()
async def export_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/mes_donnees."""
    await send_export(update, context, member, t)


@member_only()
async def erase_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/supprimer: ask for confirmation first."""
    buttons = [
        (t("privacy.erase_yes"), ERASE.pack(answer="yes")),
        (t("privacy.erase_no"), ERASE.pack(answer="no")),
    ]
    await say(update, t("privacy.erase_confirm"), keyboard([buttons]))


@member_only()
async def on_erase(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Erase on 'yes'; keep everything on 'no'."""
    query = update.callback_query
    assert query is not None
    values = ERASE.unpack(query.data)
    if values is None:
        await acknowledge(query, t("buttons.expired"))
        return
    if values["answer"] != "yes":
        await close_buttons(update, t("privacy.erase_kept"))
        return
    await context.services.privacy.erase(member.user_id)
    await close_buttons(update, t("privacy.erased"))


async def set_subscription(
    update: Update, context: MaillageContext, member: Member, t: Translator, *, subscribed: bool
) -> None:
    """Store the subscription choice and offer the way back."""
    await context.services.members.set_subscribed(member.user_id, subscribed)
    key, label, value = (
        ("privacy.subscribed", "privacy.unsubscribe_button", "0")
        if subscribed
        else ("privacy.unsubscribed", "privacy.subscribe_button", "1")
    )
    await say(update, t(key), keyboard([[(t(label), SUBSCRIBE.pack(on=value))]]))


@member_only()
async def stop_command(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """/stop: no more broadcasts."""
    await set_subscription(update, context, member, t, subscribed=False)


@member_only()
async def on_subscribe(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The subscribe/unsubscribe button."""
    query = update.callback_query
    assert query is not None
    values = SUBSCRIBE.unpack(query.data)
    if values is None or values["on"] not in ("0", "1"):
        await acknowledge(query, t("buttons.expired"))
        return
    await acknowledge(query)
    await set_subscription(update, context, member, t, subscribed=values["on"] == "1")


def build() -> list[BaseHandler]:
    """Privacy and subscription handlers."""
    return [
        CommandHandler(EXPORT_COMMANDS, export_command),
        CommandHandler(ERASE_COMMANDS, erase_command),
        CommandHandler("stop", stop_command),
        CallbackQueryHandler(on_erase, pattern=ERASE.pattern),
        CallbackQueryHandler(on_subscribe, pattern=SUBSCRIBE.pattern),
    ]
