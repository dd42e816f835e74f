"""Everything typed or sent in the directory, as one persistent conversation ``directory``.

Three kinds of waits: the words of a search, a new value for one field of the member's
card, and an animator's spreadsheet. A sticker or photo where text is expected, or text
where a file is expected, is answered and the question stays open; another command is
answered by the shared fallbacks (``/annuler`` leaves).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import MaillageContext
from bot.domain.directory import FIELD_LIMITS
from bot.domain.members import Member
from bot.i18n import Translator
from conversations.cancel import cancel_handlers
from conversations.common import acknowledge, member_only, say, translator_for
from conversations.directory import my_card, staff
from conversations.directory.browsing import show_results
from conversations.directory.buttons import EDIT, MENU

SEARCH_STATE = "dir_search"


@member_only()
async def start_search(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> str:
    """🔎: ask what to look for."""
    query = update.callback_query
    assert query is not None
    await acknowledge(query)
    await say(update, t("directory.search.ask"))
    return SEARCH_STATE


@member_only()
async def on_search_text(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> int:
    """The words typed: the first page of results."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await show_results(update, context, t, message.text, 0)
    return ConversationHandler.END


async def text_expected(update: Update, context: MaillageContext, *, state: str) -> str:
    """A sticker, photo or file where text is expected: say so, keep waiting."""
    t = await translator_for(update, context)
    await say(update, t("directory.text_expected"))
    return state


def _text_state(answer: Callable[..., Any], state: str) -> list[BaseHandler]:
    """The typed answer, and the reply to anything else but a command."""
    return [
        MessageHandler(filters.TEXT & ~filters.COMMAND, answer),
        MessageHandler(~filters.COMMAND, partial(text_expected, state=state)),
    ]


def _menu_item(item: str) -> str:
    """The pattern of one menu button."""
    return rf"^{MENU.prefix}:{MENU.version}:{item}$"


def _field_state(field: str) -> list[BaseHandler]:
    """A field's value; /passer empties an optional one (a required one says why not)."""
    answer = partial(my_card.on_value, field=field)
    skip = CommandHandler(my_card.SKIP_COMMANDS, answer)  # a required line explains why not
    return [skip, *_text_state(answer, my_card.field_state(field))]


def build() -> list[BaseHandler]:
    """The directory conversation, persisted across restarts."""
    states: dict[object, list[BaseHandler]] = {
        SEARCH_STATE: _text_state(on_search_text, SEARCH_STATE),
        staff.IMPORT_STATE: [
            MessageHandler(filters.Document.ALL, staff.on_document),
            MessageHandler(~filters.COMMAND, staff.document_expected),
        ],
        **{my_card.field_state(f): _field_state(f) for f in FIELD_LIMITS},
    }
    return [
        ConversationHandler(
            entry_points=[
                CallbackQueryHandler(start_search, pattern=_menu_item("search")),
                CallbackQueryHandler(staff.start_import, pattern=_menu_item("import")),
                CallbackQueryHandler(my_card.start_edit, pattern=EDIT.pattern),
            ],
            states=states,
            fallbacks=cancel_handlers(),
            name="directory",
            persistent=True,
            allow_reentry=True,
        )
    ]
