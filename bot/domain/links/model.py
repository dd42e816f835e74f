"""Linked accounts: the vocabulary, the one-time codes and their limits.

A member registered on one messenger links an account of the other one with a code shown
by ``/lier``: eight characters from an alphabet without look-alikes (no 0/O, 1/I), typed
in any case, with or without the dash. ``secrets`` draws them (40 bits); only their
SHA-256 is stored (the code lives 10 minutes, is used once, and an account has 5 wrong
tries an hour: guessing 1 code among 2**40 is out of reach).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.transports import Transport, transport_of_id

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_VALIDITY = timedelta(minutes=10)
WRONG_TRIES_WINDOW = timedelta(hours=1)
MAX_WRONG_TRIES = 5
_HASH_PREFIX = b"maillage-link:"


class LinkError(Exception):
    """A refused link request; ``code`` names the reason (``links.refused.<code>``)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Link:
    """An account of the other messenger acting as a member, and where the member reads."""

    member_id: int
    account_id: int
    linked_at: datetime
    messages_to: Transport

    @property
    def transport(self) -> Transport:
        """The messenger of the linked account."""
        return transport_of_id(self.account_id)

    @property
    def home(self) -> Transport:
        """The messenger the member registered on."""
        return transport_of_id(self.member_id)

    @property
    def route(self) -> tuple[Transport, int]:
        """Where a send to the member goes: their chosen messenger and their account there."""
        if self.messages_to == self.transport:
            return self.transport, self.account_id
        return self.home, self.member_id

    def sending_to(self, transport: Transport) -> Link:
        """The same link with messages going to ``transport``."""
        return replace(self, messages_to=transport)


@dataclass(frozen=True)
class PendingCode:
    """A code shown to a member and not used yet."""

    member_id: int
    expires_at: datetime


def new_code() -> str:
    """A fresh code, e.g. ``K7QM-3XRD``."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{chars[:4]}-{chars[4:]}"


def normalise(typed: str) -> str | None:
    """The code's characters as stored (upper case, no dash nor space), None if malformed."""
    chars = "".join(typed.split()).replace("-", "").upper()
    if len(chars) != CODE_LENGTH or any(c not in ALPHABET for c in chars):
        return None
    return chars


def hash_code(chars: str) -> str:
    """What is stored of a normalised code: its SHA-256."""
    return hashlib.sha256(_HASH_PREFIX + chars.encode()).hexdigest()


def other_transport(transport: Transport) -> Transport:
    """The messenger that is not ``transport``."""
    return Transport.MATRIX if transport is Transport.TELEGRAM else Transport.TELEGRAM
