"""The member's own card: consent and publication, field edits, the Telegram link, withdrawal.

Publishing is a separate consent from the privacy notice: the card is shown to every
member and exported by the animators. It is revocable at any time (withdrawal deletes it).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import MaillageContext
from bot.domain.directory import FIELD_LIMITS, CardError
from bot.domain.members import Member
from bot.i18n import Translator
from conversations.common import (
    Button,
    acknowledge,
    keyboard,
    member_only,
    replace_with,
    say,
    unpack_press,
)
from conversations.directory.buttons import EDIT, MINE, MINE_ACTIONS
from conversations.directory.views import my_card_rows, my_card_text

END = ConversationHandler.END
SKIP_COMMANDS = ["passer", "skip"]
FIELD_STATE = "dir_field:"


def field_state(field: str) -> str:
    """The conversation state waiting for ``field``."""
    return f"{FIELD_STATE}{field}"


async def show_mine(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The member's card with its buttons, or the offer to publish one (consent)."""
    card = await context.services.directory.card_of(member.user_id)
    if card is None:
        rows: list[list[Button]] = [[(t("directory.mine.publish"), MINE.pack(action="publish"))]]
        await replace_with(update, t("directory.mine.consent"), rows)
        return
    await replace_with(update, my_card_text(t, card), my_card_rows(t, card))


@member_only()
async def on_mine(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """Publish (consent given), switch the Telegram link, withdraw (asked, then done)."""
    values = await unpack_press(update, t, MINE, lambda v: v["action"] in MINE_ACTIONS)
    if values is None:
        return
    directory = context.services.directory
    action = values["action"]
    if action == "publish":
        await directory.publish(member)
    elif action in ("tg_on", "tg_off"):
        await directory.set_telegram_link(member.user_id, action == "tg_on")
    elif action == "withdraw":
        yes = [(t("directory.mine.withdraw_yes"), MINE.pack(action="withdraw_yes"))]
        await replace_with(update, t("directory.mine.withdraw_ask"), [yes])
        return
    elif action == "withdraw_yes":
        withdrawn = await directory.withdraw(member.user_id)
        await replace_with(
            update, t("directory.mine.withdrawn" if withdrawn else "directory.mine.none")
        )
        return
    await show_mine(update, context, member, t)


@member_only()
async def start_edit(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int:
    """✏️ on one field: ask its new value (current value and limit shown)."""
    values = await unpack_press(update, t, EDIT, lambda v: v["field"] in FIELD_LIMITS)
    if values is None:
        return END
    card = await context.services.directory.card_of(member.user_id)
    query = update.callback_query
    assert query is not None
    if card is None:
        await acknowledge(query, t("directory.mine.none"), alert=True)
        return END
    await acknowledge(query)
    field = values["field"]
    await ask(update, t, field, card.value(field))
    return field_state(field)


async def ask(update: Update, t: Translator, field: str, current: str) -> None:
    """The question for one field."""
    lines = [
        t(f"directory.ask.{field}"),
        t("directory.ask.current", value=current or t("directory.ask.empty")),
        t("directory.ask.limit", limit=FIELD_LIMITS[field]),
    ]
    if field not in ("structure", "territory"):
        lines.append(t("directory.ask.skip"))
    await say(update, "\n".join(lines))


@member_only()
async def on_value(
    update: Update, context: MaillageContext, member: Member, t: Translator, *, field: str
) -> str | int:
    """The typed value (or /passer: emptied): stored, or refused and asked again."""
    message = update.effective_message
    assert message is not None
    text = message.text or ""
    if text.startswith("/"):
        text = ""
    try:
        card = await context.services.directory.set_field(member.user_id, field, text)
    except CardError as error:
        if error.code == "no_card":
            await say(update, t("directory.mine.none"))
            return END
        await say(update, t(f"directory.error.{error.code}", limit=error.limit))
        return field_state(field)
    await say(update, my_card_text(t, card), keyboard(my_card_rows(t, card)))
    return END
