"""Which messenger a member id belongs to, and where a send to a member goes.

Members are keyed by an integer id. A Telegram user keeps their Telegram id; a Matrix user
gets a stable id in ``[2**52, 2**53)`` (:func:`bot.matrix.identity.matrix_user_number`):
Telegram ids have at most 52 significant bits, so the two ranges never meet. When a member
links a second account (``/lier``), :class:`Addressing` tells the Bot API router which
member an incoming id acts as and which account a send to that member reaches.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

MATRIX_ID_BASE = 2**52


class Transport(StrEnum):
    """A messenger the bot serves members on."""

    TELEGRAM = "telegram"
    MATRIX = "matrix"


def is_matrix_number(user_id: int) -> bool:
    """Whether ``user_id`` was given to a Matrix user (otherwise it is a Telegram id)."""
    return MATRIX_ID_BASE <= abs(user_id) < 2 * MATRIX_ID_BASE


def transport_of_id(chat_id: int) -> Transport:
    """The messenger an id (a user, or a group as a negative id) lives on."""
    return Transport.MATRIX if is_matrix_number(chat_id) else Transport.TELEGRAM


class Addressing(Protocol):
    """Maps the ids messengers know to members, and members to the account they read."""

    def member_of(self, user_id: int) -> int:
        """The member id an incoming user id acts as (itself when not linked)."""
        ...

    def route_of(self, chat_id: int) -> tuple[Transport, int]:
        """Where a send to ``chat_id`` goes: the messenger and the chat id there."""
        ...


class DirectAddressing:
    """No linked accounts: every id is its own member and is reached where it lives."""

    def member_of(self, user_id: int) -> int:
        """The member id an incoming user id acts as: itself."""
        return user_id

    def route_of(self, chat_id: int) -> tuple[Transport, int]:
        """The messenger ``chat_id`` lives on, and ``chat_id`` itself."""
        return transport_of_id(chat_id), chat_id
