"""Interactive round trips: many newcomers registering at once, against a minimal bot ceiling.

Each simulated member does three round trips through the sandbox over HTTP: ``/start`` →
privacy notice, tap "accept" → first question, answer → second question. The ceiling is a
bare python-telegram-bot Application that sends the same messages with no database and no
domain logic, measured in the same run on the same sandbox with its limits off. A third
row runs maillage under Telegram's real limits (30 messages/s overall), where the bot's
rate limiter, not its code, sets the pace: there the ratio is against that ceiling.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.runtime import BotRuntime
from bot.sandbox import DEFAULT_TOKEN, RateLimits, Sandbox, SimUser

MEMBERS = 200
Step = tuple[Callable[[SimUser], Awaitable[Any]], str]
STEPS: tuple[Step, ...] = (
    (lambda u: u.send("/start"), "Acceptez-vous"),
    (lambda u: u.tap("✅ J’accepte"), "Quel nom"),
    (lambda u: u.send("Camille Martin"), "Quelle est votre organisation"),
)


async def _member_script(user: SimUser, latencies: list[float]) -> None:
    for act, reply in STEPS:
        started = time.perf_counter()
        await act(user)
        await user.expect(reply, timeout=120)
        latencies.append(time.perf_counter() - started)


async def _drive(sandbox: Sandbox, first_id: int) -> dict[str, float]:
    users = [
        sandbox.add_user(first_id + i, f"Membre{i}", language_code="fr") for i in range(MEMBERS)
    ]
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(_member_script(user, latencies) for user in users))
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "elapsed_s": round(elapsed, 2),
        "round_trips_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(quantiles[49] * 1000, 1),
        "p99_ms": round(quantiles[98] * 1000, 1),
    }


def _ceiling_application(sandbox: Sandbox) -> Application[Any, Any, Any, Any, Any, Any]:
    """The same messages as maillage's first three steps, with nothing behind them."""
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton("✅ J’accepte", callback_data="consent:1:yes")]]
    )

    async def start(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_chat.send_message("Bonjour !")
        await update.effective_chat.send_message("Acceptez-vous ?", reply_markup=keyboard)

    async def accept(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("Merci")
        await update.effective_chat.send_message("Quel nom ?")

    async def answer(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_chat.send_message("Quelle est votre organisation ?")

    application = (
        ApplicationBuilder()
        .token(sandbox.token)
        .base_url(sandbox.api_url)
        .base_file_url(sandbox.file_url)
        .build()
    )
    application.add_handlers(
        [
            CommandHandler("start", start),
            CallbackQueryHandler(accept),
            MessageHandler(filters.TEXT & ~filters.COMMAND, answer),
        ]
    )
    return application


async def _ceiling(sandbox: Sandbox) -> dict[str, float]:
    application = _ceiling_application(sandbox)
    async with application:
        await application.start()
        await application.updater.start_polling(timeout=1)
        try:
            return await _drive(sandbox, 100_000)
        finally:
            await application.updater.stop()
            await application.stop()


async def _maillage(
    sandbox: Sandbox, database: Path, send_rate: int, first_id: int
) -> dict[str, float]:
    settings = replace(
        Settings(),
        bot_token=DEFAULT_TOKEN,
        api_url=sandbox.api_url,
        db_path=database,
        send_rate=send_rate,
    )
    runtime = BotRuntime(settings, poll_timeout=1)
    await runtime.start()
    try:
        return await _drive(sandbox, first_id)
    finally:
        await runtime.stop()


def _messages_per_s(row: dict[str, float], sandbox: Sandbox, since: int) -> float:
    sent = sum(1 for r in sandbox.requests[since:] if r.method.startswith("send"))
    return sent / (row["elapsed_s"] or 1)


async def run() -> list[dict[str, Any]]:
    """The bare-bot ceiling and maillage with limits off, then maillage under Telegram's limits."""
    with tempfile.TemporaryDirectory() as folder:
        async with Sandbox(token=DEFAULT_TOKEN, rate_limits=RateLimits.off()) as sandbox:
            ceiling = await _ceiling(sandbox)
            unlimited = await _maillage(sandbox, Path(folder) / "a.db", 10_000, 200_000)
        async with Sandbox(token=DEFAULT_TOKEN, rate_limits=RateLimits.telegram()) as sandbox:
            limited = await _maillage(sandbox, Path(folder) / "b.db", 30, 300_000)
            limited_rate = _messages_per_s(limited, sandbox, 0)
            too_many = sandbox.stats.too_many_requests
    return [
        {"scenario": f"ceiling: bare PTB bot, {MEMBERS} members, no limits", **ceiling},
        {
            "scenario": f"maillage onboarding, {MEMBERS} members, no limits",
            **unlimited,
            "ratio": round(unlimited["round_trips_per_s"] / ceiling["round_trips_per_s"], 2),
        },
        {
            "scenario": f"maillage onboarding, {MEMBERS} members, Telegram limits (30 msg/s)",
            **limited,
            "messages_per_s": round(limited_rate, 1),
            "ratio": round(limited_rate / 30, 2),
            "http_429": too_many,
        },
    ]
