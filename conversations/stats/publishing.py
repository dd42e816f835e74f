"""Publishing a month's digest: the animator previews it as members will get it, then confirms.

The confirm and cancel buttons carry the preview's token: once used, cancelled or replaced
by a newer preview, they answer "ce bouton a expiré".
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup, Update

from bot.callback_data import CallbackSpec
from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.stats.model import Month, StatsError
from bot.domain.stats.text import month_name
from bot.i18n import Translator
from conversations.common import (
    acknowledge,
    keyboard,
    member_only,
    replace_with,
    say,
    unpack_press,
)
from conversations.stats.common import period_of
from schedules.stats.buttons import CANCEL, CONFIRM, PUBLISH
from schedules.stats.digest import audience_size, digest_message, publish

TOKEN = re.compile(r"^[0-9a-f]{8}$")


def _refusal(t: Translator, error: StatsError) -> str:
    when = error.params.get("when")
    return str(t(f"stats.publish.{error.code}", when=t.datetime(when) if when else "—"))


def _checked(context: MaillageContext, values: dict[str, str]) -> bool:
    """A month that can be shown and, when the payload has one, a token's shape."""
    month = period_of(context.services.stats, values["m"])[1]
    return month is not None and ("t" not in values or bool(TOKEN.match(values["t"])))


@member_only(Role.ANIMATOR, "stats_preview")
async def on_publish(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Show the digest exactly as members will receive it, and ask for confirmation."""
    services = context.services
    data = await unpack_press(update, t, PUBLISH, lambda d: _checked(context, d))
    if data is None:
        return
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    month = Month.parse(data["m"])
    assert month is not None
    try:
        figures, token = await services.stats.preview(month)
    except StatsError as error:
        await say(update, _refusal(t, error))
        return
    message = digest_message(t, figures, services.stats.threshold)
    await say(update, t("stats.publish.preview"))
    markup = InlineKeyboardMarkup.de_json(message.keyboard, None) if message.keyboard else None
    await say(update, message.parts[0], markup)
    _, count = await audience_size(services)
    rows = [
        [
            (t("stats.button.confirm"), CONFIRM.pack(m=month.key, t=token)),
            (t("stats.button.cancel"), CANCEL.pack(m=month.key, t=token)),
        ]
    ]
    text = t("stats.publish.confirm", month=month_name(t, month), members=count)
    await say(update, text, keyboard(rows))


async def _pressed(
    update: Update, context: MaillageContext, t: Translator, spec: CallbackSpec
) -> tuple[Month, str] | None:
    """The month and preview token of a confirm or cancel press (None: expired, answered)."""
    data = await unpack_press(update, t, spec, lambda d: _checked(context, d))
    if data is None:
        return None
    month = Month.parse(data["m"])
    assert month is not None
    return month, data["t"]


@member_only(Role.ANIMATOR, "stats_publish")
async def on_confirm(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Publish: one send through the delivery engine; refused if already out or empty."""
    pressed = await _pressed(update, context, t, CONFIRM)
    if pressed is None:
        return
    month, token = pressed
    assert update.callback_query is not None
    try:
        count = await publish(context.application, context.services, member.user_id, month, token)
    except StatsError as error:
        if error.code == "expired":
            await acknowledge(update.callback_query, t("buttons.expired"))
        else:
            await replace_with(update, _refusal(t, error))
        return
    services = context.services
    detail = f"{month.key} to {count}"
    await services.audit.record(
        services.clock.now(), member.user_id, "stats_published", True, detail
    )
    await replace_with(update, t("stats.publish.done", month=month_name(t, month), members=count))


@member_only(Role.ANIMATOR, "stats_cancel")
async def on_cancel(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """Drop the preview; its confirm button expires."""
    pressed = await _pressed(update, context, t, CANCEL)
    if pressed is None:
        return
    month, token = pressed
    assert update.callback_query is not None
    if not await context.services.stats.drop_preview(month, token):
        await acknowledge(update.callback_query, t("buttons.expired"))
        return
    await replace_with(update, t("stats.publish.cancelled"))
