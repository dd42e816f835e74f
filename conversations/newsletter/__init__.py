"""The newsletter feature's handlers: letters and reminders, then the members' preferences."""

from __future__ import annotations

from telegram.ext import BaseHandler

from conversations.newsletter import letters, preferences


def build() -> list[BaseHandler]:
    """Every newsletter handler, in the order they must be tried."""
    return [*letters.build(), *preferences.build()]
