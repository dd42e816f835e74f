"""A Matrix user as the integer user id the bot's handlers and database know members by.

Telegram user ids have at most 52 significant bits; a Matrix user id (``@agent:tchap.gouv.fr``)
gets a stable id in ``[2**52, 2**53)``, derived from its hash, so it never collides with a
Telegram id, stays an exact JSON number, and is the same after every restart without a table.
"""

from __future__ import annotations

import hashlib

from bot.transports import MATRIX_ID_BASE, is_matrix_number

__all__ = ["MATRIX_ID_BASE", "is_matrix_number", "matrix_user_number"]


def matrix_user_number(matrix_user_id: str) -> int:
    """The stable integer id of ``matrix_user_id`` (``@localpart:server``)."""
    digest = hashlib.sha256(matrix_user_id.encode("utf-8")).digest()
    return MATRIX_ID_BASE + (int.from_bytes(digest[:8], "big") % MATRIX_ID_BASE)
