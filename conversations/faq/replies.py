"""Reply helpers of the FAQ handlers: show a view, explain a refusal, expire a button."""

from __future__ import annotations

from telegram import Update

from bot.context import MaillageContext
from bot.domain.faq import FaqError
from bot.domain.faq.model import PAGE_SIZE
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import (
    acknowledge,
    markup_of,
    notify,
    replace_with,
    say,
    unpack_press,
)
from conversations.faq.buttons import HOME
from conversations.faq.views import Rows, home_view


async def show(update: Update, text: str, rows: Rows) -> None:
    """Turn the pressed message into the view, or send it in answer to a command or text."""
    if update.callback_query is not None:
        await replace_with(update, text, rows)
    else:
        await say(update, text, markup_of(rows))


async def refuse(update: Update, t: Translator, error: FaqError) -> None:
    """Explain a refusal: a toast for a button press, a message for typed text."""
    await notify(update, t(f"faq.error.{error.code}", **error.params))


async def expire(update: Update, t: Translator) -> None:
    """Answer a stale or forged press with "this button has expired"."""
    assert update.callback_query is not None
    await acknowledge(update.callback_query, t("buttons.expired"))


async def home_press(update: Update, t: Translator, item: str) -> bool:
    """Whether the pressed home button is a well-formed ``item`` (else it expired)."""
    values = await unpack_press(
        update, t, HOME, lambda v: v["item"] == item and v["page"].isdigit()
    )
    return values is not None


async def show_home(
    update: Update, context: MaillageContext, member: Member, t: Translator, page: int = 0
) -> None:
    """The FAQ's home at a page of themes (the animators' row for them)."""
    faq = context.services.faq
    themes = await faq.browsable()
    staff = member.has_role(Role.ANIMATOR)
    waiting = len(await faq.questions.waiting()) if staff else 0
    page = page if page * PAGE_SIZE < max(len(themes), 1) else 0
    await show(update, *home_view(t, themes, page, staff, waiting))
