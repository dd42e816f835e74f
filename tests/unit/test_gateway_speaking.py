"""Answers go where a linked member speaks, for a while, then to the messenger they chose."""

from __future__ import annotations

from bot.gateway.addresses import Origins, Presenter
from bot.gateway.speaking import REPLY_WINDOW, WhereTheySpeak
from bot.transports import MATRIX_ID_BASE, Transport, transport_of_id

MEMBER, TCHAP = 1004, MATRIX_ID_BASE + 80


class ChoseMatrix:
    """Member 1004 (Telegram) reads the bot on their Tchap account."""

    def member_of(self, user_id: int) -> int:
        return MEMBER if user_id == TCHAP else user_id

    def route_of(self, chat_id: int) -> tuple[Transport, int]:
        if chat_id == MEMBER:
            return Transport.MATRIX, TCHAP
        return transport_of_id(chat_id), chat_id


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_messenger_spoken_from_wins_within_the_window_then_the_choice() -> None:
    clock = Clock()
    addressing = WhereTheySpeak(ChoseMatrix(), clock=clock)
    assert addressing.route_of(MEMBER) == (Transport.MATRIX, TCHAP)
    addressing.heard(MEMBER, Transport.TELEGRAM, MEMBER)
    clock.now = REPLY_WINDOW
    assert addressing.route_of(MEMBER) == (Transport.TELEGRAM, MEMBER)
    clock.now = REPLY_WINDOW + 0.1
    assert addressing.route_of(MEMBER) == (Transport.MATRIX, TCHAP)
    assert addressing.route_of(555) == (Transport.TELEGRAM, 555)
    assert addressing.member_of(TCHAP) == MEMBER


def test_the_presenter_notes_who_spoke_where_but_not_from_results() -> None:
    addressing = WhereTheySpeak(ChoseMatrix(), clock=Clock())
    presenter = Presenter(addressing, Origins())
    user = {"id": MEMBER, "is_bot": False, "first_name": "Léo"}
    chat = {"id": MEMBER, "type": "private"}
    sent = {"message_id": 3, "from": {"id": 7, "is_bot": True}, "chat": chat}
    presenter.value(sent, Transport.TELEGRAM)  # a send's result: nobody spoke
    assert addressing.route_of(MEMBER) == (Transport.MATRIX, TCHAP)
    typed = {"update_id": 1, "message": {"message_id": 4, "from": user, "chat": chat}}
    presenter.update(typed, Transport.TELEGRAM)
    assert addressing.route_of(MEMBER) == (Transport.TELEGRAM, MEMBER)
    tapped = {"update_id": 2, "callback_query": {"id": "q", "from": {**user, "id": TCHAP}}}
    presenter.update(tapped, Transport.MATRIX)
    assert addressing.route_of(MEMBER) == (Transport.MATRIX, TCHAP)
