"""One pacer per messenger: a Matrix burst never slows Telegram sends, nor the reverse."""

from __future__ import annotations

from bot.delivery.pacing import Pacer
from bot.transports import Addressing, DirectAddressing, Transport

MATRIX_PRIVATE_INTERVAL = 0.0
"""Synapse limits events per sender (``rc_message``), not per room."""


def matrix_pacer(per_second: int) -> Pacer:
    """A pacer under a Matrix account's ``rc_message`` rate: one ceiling, no per-room spacing."""
    return Pacer(per_second, private_interval=MATRIX_PRIVATE_INTERVAL, group_per_minute=None)


class TransportPacers:
    """The pacer of each messenger, chosen by where a send goes (``addressing.route_of``).

    With no Matrix pacer (a bot on Telegram only, or on one Bot API server), every send
    shares the Telegram pacer, as before. ``serve_matrix`` gives Matrix its own, at the bot
    account's rate: the delivery engine and the Application's rate limiter hold this same
    object, so both see the change.
    """

    def __init__(
        self,
        telegram: Pacer,
        matrix: Pacer | None = None,
        addressing: Addressing | None = None,
    ) -> None:
        self.telegram = telegram
        self.matrix = matrix
        self.addressing: Addressing = addressing or DirectAddressing()

    def serve_matrix(self, per_second: int, addressing: Addressing | None = None) -> None:
        """Pace sends to Matrix accounts on their own, at ``per_second`` (``rc_message``)."""
        self.matrix = matrix_pacer(per_second)
        if addressing is not None:
            self.addressing = addressing

    def lanes(self) -> tuple[Transport, ...]:
        """The messengers paced apart (Telegram alone when Matrix shares its pacer)."""
        if self.matrix is None:
            return (Transport.TELEGRAM,)
        return (Transport.TELEGRAM, Transport.MATRIX)

    def lane_of(self, chat_id: int) -> Transport:
        """The lane of a send to ``chat_id``: where it goes, if that messenger is paced apart."""
        if self.matrix is not None and self.addressing.route_of(chat_id)[0] is Transport.MATRIX:
            return Transport.MATRIX
        return Transport.TELEGRAM

    def for_chat(self, chat_id: int) -> Pacer:
        """The pacer a send to ``chat_id`` waits for."""
        if self.lane_of(chat_id) is Transport.MATRIX:
            assert self.matrix is not None
            return self.matrix
        return self.telegram
