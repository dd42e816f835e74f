"""Typed access to a request's raw parameters, with Telegram's errors for bad values."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.sandbox import errors

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(slots=True)
class Upload:
    """A file uploaded in a multipart request."""

    data: bytes
    filename: str | None
    content_type: str | None


@dataclass(slots=True)
class Params:
    """Request parameters: strings (form/query) or JSON values (JSON body), plus uploads."""

    values: dict[str, Any]
    uploads: dict[str, Upload] = field(default_factory=dict)

    def raw(self, name: str) -> Any:
        """The value as received, None if absent."""
        return self.values.get(name)

    def text(self, name: str, default: str | None = None) -> str | None:
        """A string parameter."""
        value = self.values.get(name)
        if value is None:
            return default
        return value if isinstance(value, str) else json.dumps(value)

    def required_text(self, name: str) -> str:
        """A string parameter that must be present and non-empty (``<name> is empty``)."""
        value = self.text(name)
        if not value:
            raise errors.missing(name)
        return value

    def integer(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter (Telegram accepts ``"12"`` and ``12``); bad values -> default."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            try:
                return int(float(value))
            except (TypeError, ValueError):
                return default

    def boolean(self, name: str, default: bool = False) -> bool:
        """A Boolean parameter (``true``/``false``/``1``/``0``)."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1")

    def json(self, name: str, error: str) -> Any:
        """A JSON-serialised parameter decoded (None if absent); bad JSON raises ``error``."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise errors.bad_request(error) from None

    def chat_id(self) -> int:
        """The ``chat_id`` parameter: ``chat_id is empty`` / ``chat not found`` errors."""
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise errors.missing("chat_id")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise errors.bad_request(errors.CHAT_NOT_FOUND) from None


async def read_request(
    request: web.Request,
) -> tuple[dict[str, Any], dict[str, str], dict[str, Upload]]:
    """A Bot API call's parameters from the query string and a form, multipart or JSON body.

    Returns the values as sent, the same as strings (JSON values re-encoded, as Telegram
    reads them), and the uploaded files.
    """
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.body_exists:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                values.update(body)
        elif request.content_type in _FORMS:
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    uploads[name] = Upload(value.file.read(), value.filename, value.content_type)
                else:
                    values[name] = value
    raw = {
        name: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        for name, value in values.items()
    }
    return values, raw, uploads
