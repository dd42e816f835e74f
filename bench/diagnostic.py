"""Diagnostic questionnaires at scale (``python -m bench diagnostic``).

1. ``ceiling``: a bare python-telegram-bot Application showing the same 18 questions (answer
   the press, edit the message into the next question), no database, members served
   concurrently like maillage, same sandbox, no limits.
2. ``maillage``: MEMBERS registered members invited through the delivery engine to an
   18-question campaign, all tapping at once through the sandbox, limits off
   (``MAILLAGE_SEND_RATE=10000``): answers per second and the time from a tap to the next
   question (p50, p99).
3. ``maillage, Telegram's limits``: the same with the sandbox enforcing Telegram's limits
   and the bot at 30 messages/s (ratio against row 2).
4. ``answers, service only``: the same answers recorded by the domain service directly
   (storage cost per answer, no Telegram).
5. ``results``: RESULT_RESPONSES complete responses seeded in SQLite, then the aggregates,
   the result messages, the chart and the CSV exports timed.

``BENCH_DIAGNOSTIC_MEMBERS`` overrides MEMBERS for a quick run.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes

from bot.clock import to_iso
from bot.config import Settings
from bot.domain.diagnostic.model import CampaignRequest
from bot.domain.diagnostic.questionnaire import parse_questionnaire
from bot.runtime import BotRuntime
from bot.sandbox import DEFAULT_TOKEN, RateLimits, Sandbox, SimUser
from bot.seed import Profile, seed_member
from bot.services import Services
from bot.update_processor import FloodLimit, PerChatUpdateProcessor
from conversations.common import acknowledge
from conversations.diagnostic.results_view import chart, export_files, results_messages
from schedules.diagnostic.jobs import launch_campaign

MEMBERS = int(os.environ.get("BENCH_DIAGNOSTIC_MEMBERS", "1000"))
QUESTIONS = 18
RESULT_RESPONSES = 10_000
THEMES = ("a", "b", "c", "d", "e", "f")
TITLE = "Mesure du réseau"
LABELS = ("Pas du tout", "Plutôt pas", "Mitigé", "Plutôt", "Tout à fait")
CHOSEN = f"3 · {LABELS[2]}"

# Simulated members act at machine speed: no per-chat flood limit in the benchmark.
MACHINE_SPEED = FloodLimit.off()


def _questionnaire() -> str:
    """An 18-question Likert questionnaire in six themes."""
    scale = json.dumps(list(LABELS), ensure_ascii=False)
    lines = [
        'id = "bench"',
        f'title = {{ fr = "{TITLE}", en = "{TITLE}" }}',
        'intro = { fr = "Mesure.", en = "Measure." }',
        "[scales.agree]",
        f"fr = {scale}",
        f"en = {scale}",
    ]
    for theme in THEMES:
        lines += [
            "[[themes]]",
            f'id = "{theme}"',
            f'title = {{ fr = "Thème {theme}", en = "{theme}" }}',
        ]
    for number in range(QUESTIONS):
        text = f"Affirmation n° {number + 1} sur le fonctionnement du réseau."
        lines += [
            "[[questions]]",
            f'id = "q{number}"',
            f'theme = "{THEMES[number % len(THEMES)]}"',
            'kind = "likert"',
            'scale = "agree"',
            f'text = {{ fr = "{text}", en = "{text}" }}',
        ]
    return "\n".join(lines)


def _quantiles(latencies: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return {"p50_ms": round(cuts[49] * 1000, 1), "p99_ms": round(cuts[98] * 1000, 1)}


async def _answer(user: SimUser, questions: int, latencies: list[float]) -> None:
    """Open the questionnaire from the invitation, then answer ``questions`` questions."""
    await user.tap("✍️ Répondre")
    await user.expect("Question 1/", timeout=600)
    for number in range(1, questions + 1):
        started = time.perf_counter()
        await user.tap(CHOSEN)
        await user.expect(f"Question {number + 1}/" if number < QUESTIONS else "Merci", timeout=600)
        latencies.append(time.perf_counter() - started)


async def _drive(users: list[SimUser], questions: int) -> dict[str, Any]:
    """Every member answers at once; rate, latency, and this process's CPU use meanwhile."""
    latencies: list[float] = []
    cpu = time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(_answer(user, questions, latencies) for user in users))
    elapsed = time.perf_counter() - started
    return {
        "answers": len(latencies),
        "elapsed_s": round(elapsed, 1),
        "answers_per_s": round(len(latencies) / elapsed, 1),
        **_quantiles(latencies),
        "cpu_pct": round(100 * (time.process_time() - cpu) / elapsed),
    }


def _ceiling_application(sandbox: Sandbox) -> Application[Any, Any, Any, Any, Any, Any]:
    """The same question messages and buttons with nothing behind them."""

    def question(number: int) -> tuple[str, InlineKeyboardMarkup]:
        buttons = [
            [InlineKeyboardButton(f"{i + 1} · {label}", callback_data=f"a:{number}:{i}")]
            for i, label in enumerate(LABELS)
        ]
        text = f"{TITLE} · Question {number + 1}/{QUESTIONS}\nThème\n\nAffirmation."
        return text, InlineKeyboardMarkup(buttons)

    async def press(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await acknowledge(query)  # as maillage does: a press answered too late still counts
        if query.data == "go":
            text, markup = question(0)
            await update.effective_chat.send_message(text, reply_markup=markup)
            return
        number = int(query.data.split(":")[1]) + 1
        if number == QUESTIONS:
            await query.edit_message_text("Merci !")
            return
        text, markup = question(number)
        await query.edit_message_text(text, reply_markup=markup)

    application = (
        ApplicationBuilder()
        .token(sandbox.token)
        .base_url(sandbox.api_url)
        .base_file_url(sandbox.file_url)
        .concurrent_updates(PerChatUpdateProcessor())
        .build()
    )
    application.add_handler(CallbackQueryHandler(press))
    return application


async def _ceiling(sandbox: Sandbox, users: list[SimUser]) -> dict[str, Any]:
    application = _ceiling_application(sandbox)
    invitation = InlineKeyboardMarkup([[InlineKeyboardButton("✍️ Répondre", callback_data="go")]])
    async with application:
        await application.start()
        for user in users:
            await application.bot.send_message(user.user_id, TITLE, reply_markup=invitation)
        await application.updater.start_polling(timeout=1)
        try:
            return await _drive(users, QUESTIONS)
        finally:
            await application.updater.stop()
            await application.stop()


async def _maillage(
    sandbox: Sandbox, folder: Path, users: list[SimUser], send_rate: int, questions: int
) -> dict[str, Any]:
    """Seed the members, launch the campaign, let every member answer at once."""
    (folder / "questionnaires").mkdir(exist_ok=True)
    (folder / "questionnaires" / "bench.toml").write_text(_questionnaire(), encoding="utf-8")
    settings = replace(
        Settings(),
        bot_token=DEFAULT_TOKEN,
        api_url=sandbox.api_url,
        db_path=folder / f"bench-{send_rate}.db",
        send_rate=send_rate,
    )
    runtime = BotRuntime(settings, poll_timeout=1, flood=MACHINE_SPEED)
    await runtime.start()
    try:
        services = runtime.services
        assert services is not None and runtime.application is not None
        for user in users:
            profile = Profile(f"Membre {user.user_id}", "Maison", "Drôme", "Agent")
            await seed_member(services, user.user_id, profile)
        now = services.clock.now()
        request = CampaignRequest(
            "bench", now, now + timedelta(days=7), members=tuple(u.user_id for u in users)
        )
        await launch_campaign(runtime.application, request)
        await asyncio.gather(*(user.expect(TITLE, timeout=600) for user in users))
        return await _drive(users, questions)
    finally:
        await runtime.stop()


async def _service_only(services: Services, members: int) -> dict[str, Any]:
    """The answers recorded through the domain service alone, one after the other."""
    now = services.clock.now()
    campaign = await services.diagnostics.campaigns.create(
        CampaignRequest("bench", now, now + timedelta(days=1), members=tuple(range(1, members + 1)))
    )
    await services.diagnostics.campaigns.open(campaign.id)
    answering = services.diagnostics.answering
    for user_id in range(1, members + 1):
        await answering.begin(campaign.id, user_id)
    started = time.perf_counter()
    for position in range(QUESTIONS):
        for user_id in range(1, members + 1):
            await answering.choose(campaign.id, user_id, position, 2)
    elapsed = time.perf_counter() - started
    answers = members * QUESTIONS
    return {
        "answers": answers,
        "elapsed_s": round(elapsed, 1),
        "answers_per_s": round(answers / elapsed, 1),
    }


async def _seed_responses(services: Services, campaign_id: int, responses: int) -> None:
    """Complete responses written straight into SQLite (seeding, not measured)."""
    rng = random.Random(4)
    at = to_iso(services.clock.now())
    async with services.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO diagnostic_responses (campaign_id, user_id, pseudonym, position,"
            " started_at, updated_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (campaign_id, user_id, secrets.token_hex(6), QUESTIONS, at, at, at)
                for user_id in range(1, responses + 1)
            ],
        )
        rows = await tx.fetchall(
            "SELECT id FROM diagnostic_responses WHERE campaign_id = ?", (campaign_id,)
        )
        await tx.executemany(
            "INSERT INTO diagnostic_answers (response_id, question_id, choice, dont_know,"
            " updated_at) VALUES (?, ?, ?, 0, ?)",
            [
                (row["id"], f"q{n}", json.dumps([str(rng.randint(1, 5))]), at)
                for row in rows
                for n in range(QUESTIONS)
            ],
        )


async def _results(folder: Path) -> dict[str, Any]:
    settings = replace(Settings(), db_path=folder / "results.db")
    services = await Services.open(settings)
    try:
        now = services.clock.now()
        campaign = await services.diagnostics.campaigns.create(
            CampaignRequest(
                "bench", now, now + timedelta(days=1), members=tuple(range(1, RESULT_RESPONSES + 1))
            )
        )
        await services.diagnostics.campaigns.open(campaign.id)
        await _seed_responses(services, campaign.id, RESULT_RESPONSES)
        services_only = await _service_only(services, 200)
        t = services.translator("fr")
        timings: dict[str, float] = {}
        started = time.perf_counter()
        results = await services.diagnostics.results(campaign)
        timings["results_s"] = time.perf_counter() - started
        started = time.perf_counter()
        participation = await services.diagnostics.campaigns.participation(campaign.id)
        messages = results_messages(t, campaign, results, participation, None, private=True)
        timings["messages_s"] = time.perf_counter() - started
        started = time.perf_counter()
        png = chart(t, campaign, results, None)
        timings["chart_s"] = time.perf_counter() - started
        started = time.perf_counter()
        rows = await services.diagnostics.export_rows(campaign)
        files = export_files(t, campaign, rows, results)
        timings["csv_s"] = time.perf_counter() - started
        assert results.respondents == RESULT_RESPONSES and png and messages
        return {
            "responses": RESULT_RESPONSES,
            "answers": RESULT_RESPONSES * QUESTIONS,
            **{key: round(value, 3) for key, value in timings.items()},
            "csv_bytes": sum(len(data) for _, data in files),
            "ratio": round(timings["results_s"] / 1.0, 3),
        }, services_only
    finally:
        await services.close()


async def run() -> list[dict[str, Any]]:
    """Answering through the sandbox against a bare-bot ceiling, then results at 10,000."""
    assert parse_questionnaire(_questionnaire(), "bench.toml").questions
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        async with Sandbox(token=DEFAULT_TOKEN, rate_limits=RateLimits.off()) as sandbox:
            users = [sandbox.add_user(10_000 + i, f"M{i}", started=True) for i in range(MEMBERS)]
            ceiling = await _ceiling(sandbox, users)
            users = [sandbox.add_user(20_000 + i, f"N{i}", started=True) for i in range(MEMBERS)]
            unlimited = await _maillage(sandbox, folder, users, 10_000, QUESTIONS)
        async with Sandbox(token=DEFAULT_TOKEN, rate_limits=RateLimits.telegram()) as sandbox:
            users = [sandbox.add_user(30_000 + i, f"O{i}", started=True) for i in range(MEMBERS)]
            limited = await _maillage(sandbox, folder, users, 30, QUESTIONS)
            too_many = sandbox.stats.too_many_requests
        results, service_only = await _results(folder)
    rows.append(
        {
            "scenario": "ceiling: bare PTB bot, same messages, no limits",
            "members": MEMBERS,
            "questions": QUESTIONS,
            **ceiling,
        }
    )
    rows.append(
        {
            "scenario": "maillage, no limits (MAILLAGE_SEND_RATE=10000)",
            "members": MEMBERS,
            "questions": QUESTIONS,
            **unlimited,
            "ratio": round(unlimited["answers_per_s"] / ceiling["answers_per_s"], 2),
        }
    )
    rows.append(
        {
            "scenario": "maillage, Telegram limits (30 msg/s)",
            "members": MEMBERS,
            "questions": QUESTIONS,
            **limited,
            "ratio": round(limited["answers_per_s"] / unlimited["answers_per_s"], 2),
            "http_429": too_many,
        }
    )
    rows.append({"scenario": "answers through the domain service only (200 × 18)", **service_only})
    rows.append(
        {
            "scenario": f"results of {RESULT_RESPONSES} responses × {QUESTIONS} (ratio: ÷ 1 s)",
            **results,
        }
    )
    return rows
