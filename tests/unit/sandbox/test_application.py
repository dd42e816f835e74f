"""A real python-telegram-bot Application polling the sandbox, driven by simulated members."""

from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.sandbox import Sandbox, SimUser


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = " ".join(context.args or [])
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Oui", callback_data="ok:1"),
                InlineKeyboardButton("Non", callback_data="ok:0"),
            ]
        ]
    )
    await update.effective_message.reply_html(
        f"<b>Bienvenue</b> {update.effective_user.first_name} ({payload or 'sans code'})",
        reply_markup=keyboard,
    )


async def choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("Noté")
    await query.edit_message_text(f"Réponse : {query.data}")


@pytest.fixture
async def application(sandbox: Sandbox) -> AsyncIterator[Application]:
    app = (
        Application.builder()
        .token(sandbox.token)
        .base_url(sandbox.api_url)
        .base_file_url(sandbox.file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(choice))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        yield app
        await app.updater.stop()
        await app.stop()


async def test_a_conversation_through_a_polling_application(
    application: Application, sandbox: Sandbox
) -> None:
    alice = sandbox.add_user(1001, "Alice")
    await alice.send("/start abc_123")
    welcome = await alice.expect("Bienvenue Alice (abc_123)")
    assert welcome["html"] == "<b>Bienvenue</b> Alice (abc_123)"
    await alice.tap("Oui")
    assert (await alice.expect("Noté"))["toast"] == "Noté"
    edited = await alice.expect("Réponse : ok:1")
    assert edited["message_id"] == welcome["message_id"]
    await alice.expect_nothing(within=0.2)
    methods = {r.method for r in sandbox.requests}
    assert {"getMe", "deleteWebhook", "getUpdates", "sendMessage", "answerCallbackQuery"} <= methods
    assert all(r.status == 200 for r in sandbox.requests)


async def test_a_command_without_payload(application: Application, alice: SimUser) -> None:
    await alice.send("/start")
    await alice.expect("sans code")
