"""Linked accounts: one member, one identity across Telegram and Matrix."""

from bot.domain.links.addressing import LinkedAddressing
from bot.domain.links.model import (
    CODE_VALIDITY,
    MAX_WRONG_TRIES,
    Link,
    LinkError,
    hash_code,
    new_code,
    normalise,
    other_transport,
)
from bot.domain.links.service import LinkService

__all__ = [
    "CODE_VALIDITY",
    "MAX_WRONG_TRIES",
    "Link",
    "LinkError",
    "LinkService",
    "LinkedAddressing",
    "hash_code",
    "new_code",
    "normalise",
    "other_transport",
]
