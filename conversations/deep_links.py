"""Routing of ``/start <payload>`` deep links to the feature that issued them."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from telegram import Update

from bot.context import MaillageContext
from bot.i18n import Translator
from conversations.common import say

PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
DeepLinkHandler = Callable[[Update, MaillageContext, str, Translator], Awaitable[None]]
_ROUTES: dict[str, DeepLinkHandler] = {}


def register_deep_link(kind: str, handler: DeepLinkHandler) -> None:
    """Send payloads ``<kind>-<value>`` to ``handler``."""
    if "-" in kind or not PAYLOAD.match(kind):
        raise ValueError(f"bad deep-link kind {kind!r}")
    _ROUTES[kind] = handler


def parse_payload(payload: str) -> tuple[str, str] | None:
    """Split a valid payload into (kind, value); None if malformed."""
    if not PAYLOAD.match(payload):
        return None
    kind, _, value = payload.partition("-")
    return (kind, value) if value else None


async def route_deep_link(
    update: Update, context: MaillageContext, payload: str, t: Translator
) -> bool:
    """Hand the payload to its feature (True), or say the link is not valid (False)."""
    parsed = parse_payload(payload)
    handler = _ROUTES.get(parsed[0]) if parsed else None
    if parsed is None or handler is None:
        await say(update, t("deep_link.invalid"))
        return False
    await handler(update, context, parsed[1], t)
    return True
