"""How broadcasts and their delivery reports read: content per language, report text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from babel.numbers import format_decimal

from bot.delivery import Content, DeliveryState, Message, SendReport
from bot.domain.newsletter.model import BroadcastKind, BroadcastSend, Composition
from bot.i18n import Translator
from bot.localized import Rows, keyboard_data
from schedules.newsletter.buttons import OPT_OUT, RESEND


def broadcast_content(
    composition: Composition, kind: BroadcastKind, translator: Callable[[str], Translator]
) -> Content:
    """The parts of each language, with the one-tap opt-out button under the last one."""
    messages = {}
    for language, parts in composition.versions.items():
        t = translator(language)
        rows = [[(t(f"newsletter.opt_out.{kind}"), OPT_OUT.pack(c=kind.category))]]
        messages[language] = Message(parts, keyboard_data(rows))
    return Content(messages)


def duration_text(t: Translator, duration: timedelta | None) -> str:
    """``4 s``, ``2 min 05 s`` or ``1 h 02 min``."""
    seconds = round(duration.total_seconds()) if duration else 0
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return t("newsletter.duration.hours", hours=hours, minutes=f"{minutes:02d}")
    if minutes:
        return t("newsletter.duration.minutes", minutes=minutes, seconds=f"{seconds:02d}")
    return t("newsletter.duration.seconds", seconds=seconds)


def report_view(t: Translator, broadcast: BroadcastSend, report: SendReport) -> tuple[str, Rows]:
    """The report posted to the author, and the explicit resend button when it can help."""
    counts = report.counts
    rate = report.rate
    text = t(
        "newsletter.report.text",
        what=t(f"newsletter.what.{broadcast.kind}"),
        when=t.datetime(broadcast.created_at),
        sent=counts[DeliveryState.SENT],
        failed=counts[DeliveryState.FAILED],
        blocked=counts[DeliveryState.BLOCKED],
        unknown=counts[DeliveryState.UNKNOWN],
        duration=duration_text(t, report.duration),
        rate=format_decimal(rate or 0, "#,##0.0", locale=t.language),
    )
    retry = counts[DeliveryState.FAILED] + counts[DeliveryState.UNKNOWN]
    if not retry:
        return text, []
    return text, [[(t("newsletter.report.resend", count=retry), RESEND.pack(s=report.send_id))]]
