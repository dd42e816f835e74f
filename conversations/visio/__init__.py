"""The visio feature's handlers: typed answers first (a conversation), then buttons and commands."""

from __future__ import annotations

from telegram.ext import BaseHandler

from conversations.visio import admin, inputs, member, voting


def build() -> list[BaseHandler]:
    """Every visio handler, the conversation's entry points before the other buttons."""
    return [*inputs.build(), *voting.build(), *member.build(), *admin.build()]
