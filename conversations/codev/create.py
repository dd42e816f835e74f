"""Creating a group: name, theme, size (4–8), meeting mode and place, charter.

Each answer is kept in the database as soon as it is typed (``codev_inputs``), so a restart
in the middle loses nothing.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.codev.fields import FIELD_LIMITS, check_field, check_size
from bot.domain.codev.model import (
    CHARTER_MAX,
    DETAIL_MAX,
    MAX_SIZE,
    MIN_SIZE,
    NAME_MAX,
    THEME_MAX,
    CodevError,
    GroupDraft,
    MeetingMode,
    Relation,
)
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.codev.common import END, codev_handler, pressed
from conversations.codev.home import group_page
from conversations.codev.inputs import Typed, answer_of, answer_refused, ask, text_state
from conversations.common import close_buttons, markup_of, say
from schedules.codev.buttons import DEFAULT_CHARTER, MODE, NEW, SIZE

INPUT = "create"
NAME = "codev:create:name"
THEME = "codev:create:theme"
SIZE_STATE = "codev:create:size"
MODE_STATE = "codev:create:mode"
DETAIL = "codev:create:detail"
CHARTER = "codev:create:charter"
MODES = tuple(m.value for m in MeetingMode)


async def _draft(context: MaillageContext, member: Member) -> dict[str, Any]:
    recalled = await context.services.codev.recall(member.user_id, INPUT)
    return recalled[1] if recalled else {}


async def _keep(context: MaillageContext, member: Member, **answers: Any) -> None:
    draft = {**await _draft(context, member), **answers}
    await context.services.codev.remember(member.user_id, INPUT, None, draft)


async def _typed_field(
    update: Update, context: MaillageContext, member: Member, t: Translator, field: str, again: str
) -> str | int | None:
    """The checked value of a typed field, kept; else END or None (asked again)."""
    limit = FIELD_LIMITS[field]
    got = await answer_of(update, context, member, t, INPUT, again, limit=limit)
    if not isinstance(got, Typed):
        return got
    mode = MeetingMode(got.data["mode"]) if "mode" in got.data else None
    try:
        value = check_field(field, got.text, mode)
    except CodevError as error:
        return await answer_refused(update, t, error, again, limit=limit)
    await _keep(context, member, **{field: value})
    return value


@codev_handler(Role.FACILITATOR, "codev_new")
async def on_new(update: Update, context: MaillageContext, member: Member, t: Translator) -> str:
    """Start creating a group."""
    await ask(update, context, member, INPUT, None, t("codev.create.ask_name", limit=NAME_MAX))
    return NAME


@codev_handler(Role.FACILITATOR, "codev_new_name")
async def on_name(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int | None:
    """The group's name, then its theme."""
    name = await _typed_field(update, context, member, t, "name", "codev.create.ask_name")
    if not isinstance(name, str):
        return name
    await say(update, t("codev.create.ask_theme", limit=THEME_MAX))
    return THEME


@codev_handler(Role.FACILITATOR, "codev_new_theme")
async def on_theme(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int | None:
    """The group's theme, then its size."""
    theme = await _typed_field(update, context, member, t, "theme", "codev.create.ask_theme")
    if not isinstance(theme, str):
        return theme
    sizes = [(str(n), SIZE.pack(size=n)) for n in range(MIN_SIZE, MAX_SIZE + 1)]
    await say(update, t("codev.create.ask_size", low=MIN_SIZE, high=MAX_SIZE), markup_of([sizes]))
    return SIZE_STATE


@codev_handler(Role.FACILITATOR, "codev_new_size")
async def on_size(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | None:
    """How many peers at most (4 to 8), then how the group meets."""
    fields = await pressed(update, t, SIZE)
    if fields is None:
        return None
    size = check_size(fields["size"])
    await _keep(context, member, size=size)
    await close_buttons(update, t("codev.create.size_done", size=size))
    rows = [[(t(f"codev.create.mode.{mode}"), MODE.pack(mode=mode))] for mode in MODES]
    await say(update, t("codev.create.ask_mode"), markup_of(rows))
    return MODE_STATE


@codev_handler(Role.FACILITATOR, "codev_new_mode")
async def on_mode(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | None:
    """By video or in a place, then the link or the address."""
    fields = await pressed(update, t, MODE, mode=MODES)
    if fields is None:
        return None
    mode = fields["mode"]
    await _keep(context, member, mode=mode)
    await close_buttons(update, t(f"codev.create.mode.{mode}"))
    await say(update, t(f"codev.create.ask_detail.{mode}", limit=DETAIL_MAX))
    return DETAIL


@codev_handler(Role.FACILITATOR, "codev_new_detail")
async def on_detail(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str | int | None:
    """The video link or the address, then the charter."""
    mode = (await _draft(context, member)).get("mode", MeetingMode.VIDEO.value)
    again = f"codev.create.ask_detail.{mode}"
    detail = await _typed_field(update, context, member, t, "detail", again)
    if not isinstance(detail, str):
        return detail
    rows = [[(t("codev.create.default_charter"), DEFAULT_CHARTER.pack())]]
    await say(update, t("codev.create.ask_charter", limit=CHARTER_MAX), markup_of(rows))
    return CHARTER


async def _create(
    update: Update, context: MaillageContext, member: Member, t: Translator, charter: str
) -> int:
    """Create the group from the kept answers and show its page."""
    codev = context.services.codev
    draft = await _draft(context, member)
    group = await codev.groups.create(
        member.user_id,
        GroupDraft(
            name=draft["name"],
            theme=draft["theme"],
            size_limit=int(draft["size"]),
            mode=MeetingMode(draft["mode"]),
            detail=draft["detail"],
            charter=charter,
        ),
    )
    await codev.forget(member.user_id, INPUT)
    await say(update, t("codev.create.done", name=group.name))
    text, rows = await group_page(context, t, group, member, Relation.FACILITATOR)
    await say(update, text, markup_of(rows))
    return END


@codev_handler(Role.FACILITATOR, "codev_new_charter")
async def on_charter(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> int | None:
    """The group's own charter, typed."""
    charter = await _typed_field(update, context, member, t, "charter", "codev.create.ask_charter")
    if not isinstance(charter, str):
        return charter
    return await _create(update, context, member, t, charter)


@codev_handler(Role.FACILITATOR, "codev_new_default_charter")
async def on_default_charter(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> int:
    """The method's usual charter."""
    ended = await _create(update, context, member, t, str(t("codev.charter.default")))
    await close_buttons(update, t("codev.create.default_charter"))
    return ended


def entries() -> list[BaseHandler]:
    """Buttons that start creating a group."""
    return [CallbackQueryHandler(on_new, pattern=NEW.pattern)]


def states() -> dict[object, list[BaseHandler]]:
    """The creation's questions."""
    return {
        NAME: [text_state(on_name)],
        THEME: [text_state(on_theme)],
        SIZE_STATE: [CallbackQueryHandler(on_size, pattern=SIZE.pattern)],
        MODE_STATE: [CallbackQueryHandler(on_mode, pattern=MODE.pattern)],
        DETAIL: [text_state(on_detail)],
        CHARTER: [
            text_state(on_charter),
            CallbackQueryHandler(on_default_charter, pattern=DEFAULT_CHARTER.pattern),
        ],
    }
