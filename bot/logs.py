"""Logging set-up that never lets a secret (the bot token) reach a log line."""

from __future__ import annotations

import logging
from collections.abc import Iterable

REDACTED = "<redacted>"


class RedactSecrets(logging.Filter):
    """Replaces every occurrence of the given secrets in a record's final message."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message (and traceback text) without the secrets."""
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self._secrets:
            message = message.replace(secret, REDACTED)
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, REDACTED)
        record.msg, record.args = message, None
        return True


def configure_logging(level: int, secrets: Iterable[str]) -> None:
    """Log to stderr with the secrets redacted from every handler's output."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Request URLs carry the token: httpx logs them only when verbose, and redacted.
    logging.getLogger("httpx").setLevel(logging.INFO if level <= logging.DEBUG else logging.WARNING)
    # aiosqlite's debug lines repeat every SQL parameter, personal data included.
    logging.getLogger("aiosqlite").setLevel(max(level, logging.INFO))
    install_redaction(logging.getLogger().handlers, secrets)


def install_redaction(handlers: Iterable[logging.Handler], secrets: Iterable[str]) -> None:
    """Attach the redaction filter to each handler."""
    secret_list = list(secrets)
    for handler in handlers:
        handler.addFilter(RedactSecrets(secret_list))
