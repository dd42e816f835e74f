"""Helpers every conversation uses: the member's translator, replies, keyboards, access checks."""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.members import Role
from bot.i18n import Translator, pick_language
from bot.telling import inline_markup, tell_rendered

logger = logging.getLogger(__name__)
R = TypeVar("R")
MemberCallback = Callable[..., Awaitable[R]]
Button = tuple[str, str]


async def translator_for(update: Update, context: MaillageContext) -> Translator:
    """The translator in the member's language, or Telegram's language before registration."""
    services = context.services
    user = update.effective_user
    if user is None:
        return services.translator(services.settings.language)
    member = await services.members.get(user.id)
    language = (
        member.language if member else pick_language(user.language_code, services.settings.language)
    )
    return services.translator(language)


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, callback data).

    Labels are plain text for Telegram: a label made with the catalogs (whose parameters
    are HTML-escaped) is unescaped here, so ``R&D <Sud>`` shows as typed.
    """
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(html.unescape(str(label)), callback_data=data)
                for label, data in row
            ]
            for row in rows
        ]
    )


def markup_of(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """The keyboard of ``rows``, or None without any button (Telegram refuses an empty one)."""
    return inline_markup(rows)


async def say(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """Send a new message in the chat the update came from."""
    message = update.effective_message
    assert message is not None
    return await message.chat.send_message(text, reply_markup=markup)


async def acknowledge(query: CallbackQuery, text: str | None = None, alert: bool = False) -> None:
    """Answer a button press (optionally with a toast); a query answered too late is let go.

    Telegram refuses answers after about 15 seconds (a busy bot under its rate limit can be
    that late); the press is still handled, only the spinner on the member's side stops alone.
    """
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:
        if "query is too old" not in error.message.lower():
            raise
        logger.info("callback query answered too late: %s", error.message)


async def notify(update: Update, text: str) -> None:
    """Tell the user something: a toast for a button press, a message otherwise."""
    if update.callback_query is not None:
        await acknowledge(update.callback_query, text, alert=True)
    else:
        await say(update, text)


async def close_buttons(update: Update, text: str) -> None:
    """Answer a button press and replace its message's text, removing the buttons."""
    query = update.callback_query
    assert query is not None
    await acknowledge(query)
    await _edit(query, text, None)


async def replace_with(update: Update, text: str, rows: Sequence[Sequence[Button]] = ()) -> None:
    """Answer a button press and turn its message into ``text`` with these buttons (or none)."""
    query = update.callback_query
    assert query is not None
    await acknowledge(query)
    await _edit(query, text, markup_of(rows))


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the pressed message; one already showing exactly this, or gone, is left alone.

    Telegram refuses an edit that changes nothing ("message is not modified": a second
    press on the same button, or a press on a message already in the state it leads to)
    and one of a message deleted since the press ("message to edit not found").
    """
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        reason = error.message.lower()
        if "message is not modified" not in reason and "message to edit not found" not in reason:
            raise
        logger.debug("pressed message left as it is: %s", error.message)


async def unpack_press(
    update: Update,
    t: Translator,
    spec: CallbackSpec,
    check: Callable[[dict[str, str]], bool] | None = None,
) -> dict[str, str] | None:
    """The fields of the button pressed, or None once "ce bouton a expiré" was answered.

    ``check`` refuses payloads of the right shape whose values make no sense (forged).
    """
    query = update.callback_query
    assert query is not None
    values = spec.unpack(query.data)
    if values is None or (check is not None and not check(values)):
        await acknowledge(query, t("buttons.expired"))
        return None
    return values


async def tell_member(context: MaillageContext, user_id: int, key: str, **params: Any) -> bool:
    """Write to another member in their language; one who blocked the bot is marked (False)."""
    return await tell_rendered(context, user_id, lambda t: t(key, **params))


def member_only(
    required: Role = Role.MEMBER, action: str | None = None
) -> Callable[[MemberCallback[R]], Callable[..., Awaitable[R | int]]]:
    """Run the handler only for a registered member holding ``required``; refuse politely."""

    def decorate(func: MemberCallback[R]) -> Callable[..., Awaitable[R | int]]:
        @wraps(func)
        async def wrapper(update: Update, context: MaillageContext, **kwargs: Any) -> R | int:
            services = context.services
            user = update.effective_user
            assert user is not None
            member = await services.members.authorise(user.id, required, action or func.__name__)
            if member is None:
                t = await translator_for(update, context)
                existing = await services.members.get(user.id)
                registered = existing is not None and existing.is_registered
                await notify(update, t("access.denied" if registered else "access.register_first"))
                return ConversationHandler.END
            return await func(
                update, context, member, services.translator(member.language), **kwargs
            )

        return wrapper

    return decorate


def command_args(context: MaillageContext) -> str:
    """The text typed after a command, joined."""
    args: list[Any] = context.args or []
    return " ".join(str(a) for a in args).strip()
