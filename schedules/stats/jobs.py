"""The monthly preparation (``stats_prompt:<YYYY-MM>``), when the animators switched it on.

Due at 9:00 (network time) on the 1st of the month after ``<YYYY-MM>``, from the database
(``stats_schedule`` and the digests' ``prompted_at``). It posts the month's figures to
each animator with the publish button, records the prompt (so a second run sends
nothing), and arms the next month. After downtime only the latest finished month is
prompted, at once.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import MaillageContext
from bot.domain.members import Role
from bot.domain.stats.model import Month
from bot.domain.stats.text import month_name
from bot.services import Services
from bot.telling import inline_markup
from schedules.registry import Due, JobKind, schedule
from schedules.stats.views import month_view

logger = logging.getLogger(__name__)


async def due_prompts(services: Services) -> list[Due]:
    """The next month to prompt about, when the preparation is on."""
    upcoming = await services.stats.next_prompt()
    return [Due(upcoming[0].key, upcoming[1])] if upcoming else []


async def arm(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    """(Re)arm the next prompt after a change (switched on, or a prompt just sent)."""
    now = services.clock.now()
    for due in await due_prompts(services):
        schedule(application, PROMPT_JOB, due, now)


async def run_prompt(context: MaillageContext, ref: str) -> None:
    """Post the finished month's figures to the animators, once."""
    services = context.services
    stats = services.stats
    month = Month.parse(ref)
    if month is None or await stats.schedule_enabled() is None:
        return
    if month >= stats.current_month() or not await stats.mark_prompted(month):
        return
    figures = await stats.month(month)
    for animator in await services.members.staff():
        if animator.role is not Role.ANIMATOR:
            continue
        t = services.translator(animator.language)
        text, rows = month_view(t, figures, stats.threshold, publishable=True, back=False)
        prompt = t("stats.monthly.prompt", month=month_name(t, month))
        try:
            await context.bot.send_message(
                animator.user_id, prompt + "\n\n" + text, reply_markup=inline_markup(rows)
            )
        except TelegramError as error:
            logger.info("stats prompt not delivered to %s: %s", animator.user_id, error)
    await arm(context.application, services)


PROMPT_JOB = JobKind("stats_prompt", due_prompts, run_prompt)
