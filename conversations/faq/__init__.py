"""The FAQ handlers: typed answers first (a conversation), then animators' and readers' buttons."""

from __future__ import annotations

from telegram.ext import BaseHandler

from conversations.faq import admin, browse, inputs


def build() -> list[BaseHandler]:
    """Every FAQ handler, the conversation's entry points before the other buttons."""
    return [*inputs.build(), *admin.build(), *browse.build()]
