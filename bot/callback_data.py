"""Every button payload: ``prefix:version:field:…``, checked to fit Telegram's 64 bytes.

Unknown, malformed or old-version payloads unpack to None, and the caller answers
"ce bouton a expiré" instead of raising.
"""

from __future__ import annotations

import re

MAX_BYTES = 64
SEPARATOR = ":"
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,15}$")


class CallbackDataError(ValueError):
    """A payload could not be packed."""


class CallbackSpec:
    """The layout of one kind of button: a prefix, a version and named fields."""

    def __init__(self, prefix: str, *fields: str, version: int = 1) -> None:
        if not _PREFIX.match(prefix):
            raise CallbackDataError(f"bad prefix {prefix!r}")
        self.prefix = prefix
        self.fields = fields
        self.version = version
        self.pattern = re.compile(rf"^{prefix}{SEPARATOR}")

    def pack(self, **values: str | int) -> str:
        """Build the payload; refuse missing fields, separators inside values and > 64 bytes."""
        if set(values) != set(self.fields):
            raise CallbackDataError(f"{self.prefix}: expected fields {self.fields}, got {values}")
        parts = [self.prefix, str(self.version)]
        for name in self.fields:
            text = str(values[name])
            if SEPARATOR in text or not text:
                raise CallbackDataError(f"{self.prefix}.{name}: empty or contains {SEPARATOR!r}")
            parts.append(text)
        data = SEPARATOR.join(parts)
        try:
            size = len(data.encode())
        except UnicodeEncodeError:
            raise CallbackDataError(f"{self.prefix}: not encodable as UTF-8") from None
        if size > MAX_BYTES:
            raise CallbackDataError(f"{self.prefix}: payload over {MAX_BYTES} bytes")
        return data

    def unpack(self, data: str | None) -> dict[str, str] | None:
        """The fields of a payload of this kind, or None if it is not a current one."""
        if not data:
            return None
        parts = data.split(SEPARATOR)
        if len(parts) != 2 + len(self.fields) or parts[0] != self.prefix:
            return None
        if parts[1] != str(self.version):
            return None
        return dict(zip(self.fields, parts[2:], strict=True))
