"""A tiny bot written with python-telegram-bot's ``Bot``, used to exercise remote members."""

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator

import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.sandbox import Sandbox

CHOICES = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Oui", callback_data="yes"),
            InlineKeyboardButton("Non", callback_data="no"),
        ]
    ]
)


async def _serve(bot: telegram.Bot) -> None:
    offset = 0
    while True:
        for update in await bot.get_updates(offset=offset, timeout=1):
            offset = update.update_id + 1
            await _handle(bot, update)


async def _handle(bot: telegram.Bot, update: telegram.Update) -> None:
    if update.callback_query:
        query = update.callback_query
        await query.answer(f"Choix : {query.data}")
        await query.edit_message_text(f"Vous avez choisi {query.data}")
    elif update.message and update.message.text:
        chat_id, text = update.message.chat_id, update.message.text
        if text.startswith("/start"):
            await bot.send_message(
                chat_id, f"Bienvenue {update.message.from_user.first_name} !", reply_markup=CHOICES
            )
        elif text == "doc":
            await bot.send_document(chat_id, io.BytesIO(b"rapport"), filename="rapport.txt")
        else:
            await bot.send_message(chat_id, f"Écho : {text}")
    elif update.message and update.message.sticker:
        await bot.send_message(update.message.chat_id, "Joli autocollant")


@contextlib.asynccontextmanager
async def running_echo_bot(sandbox: Sandbox) -> AsyncIterator[None]:
    """Run the echo bot against ``sandbox`` for the duration of the block."""
    async with telegram.Bot(
        sandbox.token, base_url=sandbox.api_url, base_file_url=sandbox.file_url
    ) as bot:
        task = asyncio.create_task(_serve(bot))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
