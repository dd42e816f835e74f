"""The links feature's handlers: /lier, /delier and the unlink button."""

from __future__ import annotations

from telegram.ext import BaseHandler

from conversations.links import commands


def build() -> list[BaseHandler]:
    """Every links handler."""
    return commands.build()
