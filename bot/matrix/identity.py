"""A Matrix user as the integer user id the bot's handlers and database know members by.

Telegram user ids have at most 52 significant bits; a Matrix user id (``@agent:tchap.gouv.fr``)
gets a stable id in ``[2**52, 2**53)``, derived from its hash, so it never collides with a
Telegram id, stays an exact JSON number, and is the same after every restart without a table.
"""

from __future__ import annotations

import hashlib

MATRIX_ID_BASE = 2**52


def matrix_user_number(matrix_user_id: str) -> int:
    """The stable integer id of ``matrix_user_id`` (``@localpart:server``)."""
    digest = hashlib.sha256(matrix_user_id.encode("utf-8")).digest()
    return MATRIX_ID_BASE + (int.from_bytes(digest[:8], "big") % MATRIX_ID_BASE)


def is_matrix_number(user_id: int) -> bool:
    """Whether ``user_id`` was given to a Matrix user (otherwise it is a Telegram id)."""
    return MATRIX_ID_BASE <= user_id < 2 * MATRIX_ID_BASE
