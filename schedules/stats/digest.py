"""The monthly digest to the members, through the delivery engine (category ``stats``).

``publish`` freezes the month's masked figures (once: a second publication is refused),
checks someone would receive them, and hands one send to the engine, the opt-out button
under every message like newsletters.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.config import SUPPORTED_LANGUAGES
from bot.delivery import Content, Draft, Message
from bot.delivery.categories import OptOutCategory
from bot.domain.segments import Segment
from bot.domain.stats.model import Month, MonthFigures, StatsError
from bot.domain.stats.text import month_text
from bot.i18n import Translator
from bot.localized import keyboard_data
from bot.services import Services
from schedules.deliveries import dispatch
from schedules.newsletter.buttons import OPT_OUT

KIND = "stats_digest"
CATEGORY = OptOutCategory.STATS


def digest_message(t: Translator, figures: MonthFigures, k: int) -> Message:
    """The digest as one member reads it, with the one-tap opt-out under it."""
    rows = [[(t("stats.button.opt_out"), OPT_OUT.pack(c=CATEGORY.value))]]
    return Message((str(month_text(t, figures, k, "stats.digest_title")),), keyboard_data(rows))


async def audience_size(services: Services) -> tuple[list[int], int]:
    """Every registered member, and how many of them would receive the digest."""
    member_ids = await services.segments.member_ids(Segment())
    audience = await services.deliveries.audience(member_ids, CATEGORY.value)
    return member_ids, audience.eligible


async def publish(
    application: Application[Any, Any, Any, Any, Any, Any],
    services: Services,
    user_id: int,
    month: Month,
    token: str,
) -> int:
    """Send the month's digest to every member who accepts it; how many it reaches.

    StatsError ``future``, ``empty``, ``already``, ``expired`` (see
    ``StatsService.claim``) or ``nobody`` when no member would receive it.
    """
    stats = services.stats
    member_ids, eligible = await audience_size(services)
    if not eligible:
        raise StatsError("nobody")
    figures = await stats.claim(month, token)
    first = services.settings.language
    languages = (first, *(lang for lang in SUPPORTED_LANGUAGES if lang != first))
    content = Content(
        {
            lang: digest_message(services.translator(lang), figures, stats.threshold)
            for lang in languages
        }
    )
    draft = Draft(KIND, CATEGORY.value, content, user_id)
    send_id, audience = await dispatch(application, services, draft, member_ids)
    await stats.record_send(month, send_id)
    return audience.eligible
