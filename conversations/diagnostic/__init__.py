"""The diagnostic feature's handlers: answering first, then the animators' launch, then the home."""

from __future__ import annotations

from telegram.ext import BaseHandler

from conversations.diagnostic import answer, home, launch


def build() -> list[BaseHandler]:
    """Every diagnostic handler, in the order they must be tried."""
    return [*answer.build(), *launch.build(), *home.build()]
