"""What the gateway itself says to a member (``matrix.*`` catalog keys), in their language."""

from __future__ import annotations

import html
from functools import cache
from typing import Any

from bot.i18n import Catalogs, pick_language

DEFAULT_LANGUAGE = "fr"


@cache
def _catalogs() -> Catalogs:
    return Catalogs()


def notice(language_code: str | None, key: str, **params: Any) -> dict[str, Any]:
    """An ``m.notice`` content with the catalog text ``key`` (plain and HTML)."""
    language = pick_language(language_code, DEFAULT_LANGUAGE)
    rich = str(_catalogs().text(language, key, **params))
    return {
        "msgtype": "m.notice",
        "body": html.unescape(rich),
        "format": "org.matrix.custom.html",
        "formatted_body": rich,
    }
