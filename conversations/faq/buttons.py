"""Every button payload of the FAQ (``bot/callback_data.py``): stale or forged ones expire."""

from __future__ import annotations

from collections.abc import Callable

from bot.callback_data import CallbackSpec

HOME = CallbackSpec("faqh", "item", "page")
"""The FAQ's home (``home`` at a page of themes), ``search``, ``ask``, ``add``, ``waiting``."""
THEME = CallbackSpec("faqt", "theme", "page")
"""A theme's entries, at a page."""
ENTRY = CallbackSpec("faqe", "entry")
"""One entry, read."""
EDIT = CallbackSpec("faqx", "entry", "action", "pos")
"""An animator's action on an entry seen at position ``pos`` of its theme."""
PICK = CallbackSpec("faqp", "purpose", "ref", "theme")
"""A theme chosen to ``add`` an entry, ``move`` entry ``ref`` or ``pub`` question ``ref``."""
QUESTION = CallbackSpec("faqq", "question", "action")
"""A member's question: ``show`` it or ``answer`` it (animators)."""

NEW_THEME = "new"


def digits(*names: str) -> Callable[[dict[str, str]], bool]:
    """A check for ``unpack_press``: these fields are whole numbers."""
    return lambda values: all(values[name].isdigit() for name in names)
