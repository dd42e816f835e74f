"""Every button payload of the directory."""

from __future__ import annotations

from bot.callback_data import CallbackSpec

MENU = CallbackSpec("dir_menu", "item")
"""The /annuaire menu: search, territories, map, mine (members); import, export (animators)."""
FIND = CallbackSpec("dir_find", "page", "q")
"""A page of search results; ``q`` is the searched words (safe terms only)."""
TERRITORY = CallbackSpec("dir_terr", "key", "page")
"""A page of one territory's cards (``key``: a hash of its folded name), or ``-``: the list."""
SHOW = CallbackSpec("dir_card", "id")
"""One card, shown in full."""
MINE = CallbackSpec("dir_mine", "action")
"""The member's own card: publish, tg_on, tg_off, withdraw, withdraw_yes."""
EDIT = CallbackSpec("dir_edit", "field")
"""Change one field of the member's own card."""
IMPORT = CallbackSpec("dir_imp", "action", "token")
"""Confirm (``yes``) or drop (``no``) a checked import."""
EXPORT = CallbackSpec("dir_exp", "format")
"""Export the directory as ``csv`` or ``xlsx``."""

MEMBER_ITEMS = ("search", "territories", "map", "mine")
STAFF_ITEMS = ("import", "export")
MINE_ACTIONS = ("publish", "tg_on", "tg_off", "withdraw", "withdraw_yes")
EXPORT_FORMATS = ("csv", "xlsx")
