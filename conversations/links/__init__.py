"""The links feature's handlers: /lier, /delier and the unlink button."""

from __future__ import annotations

from telegram.ext import BaseHandler

from conversations.links import commands


def build() -> list[BaseHandler]:
    """Every links handler but the typed code (:func:`code_typed`)."""
    return commands.build()


def code_typed() -> list[BaseHandler]:
    """``/lier CODE``, listed before every conversation."""
    return commands.code_typed()
