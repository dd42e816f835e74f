"""The recurring slot: how animators read it, and the button wizard that sets it."""

from __future__ import annotations

from datetime import time

from babel.dates import format_time
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.visio import VisioError, VisioSettings
from bot.domain.visio.slot import ORDINALS, WEEKDAYS, preset_of, preset_rule
from bot.i18n import Translator
from conversations.common import (
    close_buttons,
    keyboard,
    member_only,
    replace_with,
    say,
    unpack_press,
)
from conversations.visio.replies import refuse
from schedules.visio import arm
from schedules.visio import messages as m
from schedules.visio.buttons import ADMIN, SLOT, UNSET

TIMES = [time(hour, minute) for hour in range(8, 19) for minute in (0, 30)][:-1]
DURATIONS = (60, 90, 120, 180)


def clock(t: Translator, value: time) -> str:
    """A time of day in the member's language (14 h 00 / 14:00)."""
    return format_time(value, str(t("visio.format.time")), locale=t.language)


def slot_text(t: Translator, settings: VisioSettings) -> str:
    """The slot as animators read it: the 2nd Tuesday of the month, or the rule itself."""
    assert settings.rule is not None
    preset = preset_of(settings.rule)
    if preset is None:
        return t("visio.slot.rule", rule=settings.rule)
    ordinal, day = preset
    return t(
        "visio.slot.preset",
        ordinal=t(f"visio.slot.ordinal.{ordinal}"),
        day=t(f"visio.slot.day.{day}"),
    )


def slot_line(t: Translator, settings: VisioSettings, key: str = "visio.admin.slot") -> str:
    """The slot with its start and end times, in the catalog text ``key``."""
    end_minutes = settings.start.hour * 60 + settings.start.minute + settings.duration
    end = time((end_minutes // 60) % 24, end_minutes % 60)
    return t(key, slot=slot_text(t, settings), start=clock(t, settings.start), end=clock(t, end))


async def slot_saved(context: MaillageContext, t: Translator) -> str:
    """The confirmation of a new slot, with the next session's date."""
    cycle = context.services.visio.cycle
    settings = await cycle.settings()
    session = await cycle.next_session()
    return m.lines(
        slot_line(t, settings, "visio.slot.saved"),
        t("visio.slot.next", when=t.datetime(session.starts_at)) if session else "",
    )


def _slot_rows(t: Translator, ordinal: str, day: str, start: str) -> m.Rows:
    """The wizard's next question: week, then day, then time, then length."""

    def pack(o: str = UNSET, d: str = UNSET, s: str = UNSET, length: str = UNSET) -> str:
        return SLOT.pack(ordinal=o, day=d, time=s, duration=length)

    if ordinal == UNSET:
        ordinals = [(str(t(f"visio.slot.ordinal.{o}")), pack(str(o))) for o in ORDINALS]
        return [ordinals, [(str(t("visio.slot.typed_button")), ADMIN.pack(item="rule"))]]
    if day == UNSET:
        days = [(str(t(f"visio.slot.day.{d}")), pack(ordinal, d)) for d in WEEKDAYS]
        return [days[:4], days[4:]]
    if start == UNSET:
        times = [(clock(t, s), pack(ordinal, day, s.strftime("%H%M"))) for s in TIMES]
        return [times[i : i + 4] for i in range(0, len(times), 4)]
    lengths = [
        (str(t("visio.slot.minutes", minutes=d)), pack(ordinal, day, start, str(d)))
        for d in DURATIONS
    ]
    return [lengths]


def _slot_question(t: Translator, ordinal: str, day: str, start: str) -> str:
    """The question over the wizard's next buttons."""
    if ordinal == UNSET:
        return t("visio.slot.ordinal_question")
    if day == UNSET:
        return t("visio.slot.day_question")
    if start == UNSET:
        return t("visio.slot.time_question", zone=str(t.timezone))
    return t("visio.slot.duration_question")


def _valid_slot(values: dict[str, str]) -> bool:
    """Whether a wizard payload holds a week, day, time and length that make sense."""
    ordinal, day, start, length = (values[k] for k in ("ordinal", "day", "time", "duration"))
    checks = [
        ordinal in {str(o) for o in ORDINALS},
        day in (*WEEKDAYS, UNSET),
        start == UNSET or (start.isdigit() and len(start) == 4),
        length == UNSET or length.isdigit(),
    ]
    return ordinal == UNSET or all(checks)


async def start_wizard(update: Update, t: Translator) -> None:
    """The wizard's first question: which week of the month."""
    await say(
        update,
        _slot_question(t, UNSET, UNSET, UNSET),
        keyboard(_slot_rows(t, UNSET, UNSET, UNSET)),
    )


@member_only(Role.ANIMATOR, "visio_slot")
async def on_slot(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """One answer of the slot wizard; the last one saves the slot and re-plans."""
    values = await unpack_press(update, t, SLOT, _valid_slot)
    if values is None:
        return
    ordinal, day, start, length = (values[k] for k in ("ordinal", "day", "time", "duration"))
    if length == UNSET:
        question = _slot_question(t, ordinal, day, start)
        await replace_with(update, question, _slot_rows(t, ordinal, day, start))
        return
    begins = time(int(start[:2]) % 24, int(start[2:]) % 60)
    try:
        rule = preset_rule(int(ordinal), day)
        await context.services.visio.cycle.set_slot(rule, begins, int(length))
    except VisioError as error:
        await refuse(update, t, error)
        return
    await close_buttons(update, await slot_saved(context, t))
    await arm(context.application, context.services)


def build() -> list[BaseHandler]:
    """The slot wizard's buttons."""
    return [CallbackQueryHandler(on_slot, pattern=SLOT.pattern)]
