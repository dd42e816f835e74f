"""What the directory shows: a card, a page of cards as buttons, the menu."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from bot.domain.directory import CARD_FIELDS, Card, CardSource, Page
from bot.domain.members import Member, Role
from bot.i18n import Translator
from conversations.common import Button
from conversations.directory.buttons import (
    EDIT,
    MEMBER_ITEMS,
    MENU,
    MINE,
    SHOW,
    STAFF_ITEMS,
)

LABEL_WIDTH = 48


def card_text(t: Translator, card: Card) -> str:
    """The card in full, every value escaped; the Telegram link only if allowed."""
    lines = [t("directory.card.title", name=card.name or card.structure)]
    for field in CARD_FIELDS:
        if field != "name" and card.value(field):
            lines.append(t(f"directory.card.line.{field}", value=card.value(field)))
    if card.user_id is not None and card.telegram_link:
        lines.append(t("directory.card.telegram", user_id=card.user_id))
    if card.source is CardSource.IMPORT:
        lines.append(t("directory.card.imported"))
    return "\n".join(lines)


def card_label(card: Card) -> str:
    """A result's button: name, structure and territory, shortened."""
    parts = [card.name, card.structure] if card.name else [card.structure]
    text = f"{' · '.join(parts)} ({card.territory})"
    return textwrap.shorten(text, LABEL_WIDTH, placeholder="…")


def page_rows(t: Translator, page: Page, pack: Callable[[int], str]) -> list[list[Button]]:
    """One button per card, then ◀️ / ▶️ to the neighbouring pages (``pack`` builds them)."""
    rows: list[list[Button]] = [[(card_label(c), SHOW.pack(id=c.id))] for c in page.cards]
    moves: list[Button] = []
    if page.number > 0:
        moves.append((t("directory.page.previous"), pack(page.number - 1)))
    if page.number + 1 < page.pages:
        moves.append((t("directory.page.next"), pack(page.number + 1)))
    if moves:
        rows.append(moves)
    return rows


def menu_rows(t: Translator, member: Member) -> list[list[Button]]:
    """The member's menu; animators also import and export."""
    items = [*MEMBER_ITEMS, *(STAFF_ITEMS if member.has_role(Role.ANIMATOR) else ())]
    buttons = [(t(f"directory.menu.{item}"), MENU.pack(item=item)) for item in items]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def my_card_rows(t: Translator, card: Card) -> list[list[Button]]:
    """Edit buttons (two per row), the Telegram link switch and withdrawal."""
    edits = [(t(f"directory.edit.{f}"), EDIT.pack(field=f)) for f in CARD_FIELDS]
    rows = [edits[i : i + 2] for i in range(0, len(edits), 2)]
    switch = "tg_off" if card.telegram_link else "tg_on"
    rows.append([(t(f"directory.mine.{switch}"), MINE.pack(action=switch))])
    rows.append([(t("directory.mine.withdraw"), MINE.pack(action="withdraw"))])
    return rows


def my_card_text(t: Translator, card: Card) -> str:
    """The member's own card as others see it, with how to change it."""
    return "\n\n".join([t("directory.mine.title"), card_text(t, card), t("directory.mine.hint")])
