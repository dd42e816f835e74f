"""Rows listed to animators as buttons, one a row, at most ``MAX_LISTED`` at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from telegram import Update

from conversations.common import keyboard, say
from schedules.visio.messages import Button

T = TypeVar("T")
MAX_LISTED = 40
"""Topics or sessions listed as buttons at once."""


async def say_listed(
    update: Update, items: Sequence[T], button: Callable[[T], Button], title: str, empty: str
) -> None:
    """Each item as a button under ``title`` (the first ``MAX_LISTED``), or ``empty`` if none."""
    if not items:
        await say(update, empty)
        return
    rows = [[button(item)] for item in items[:MAX_LISTED]]
    await say(update, title, keyboard(rows))
