"""MSC3381 poll events and keycap reactions, checked without a homeserver."""

from __future__ import annotations

from typing import Any

from bot.matrix.polls import POLL_END, POLL_START, edit, numbered_vote, selections, start
from bot.matrix.reactions import KEYCAPS
from bot.matrix.rooms import group_chat_id, invitation, room_title
from bot.transports import Transport, transport_of_id

POLL: dict[str, Any] = {
    "message_id": 4,
    "from": "bot",
    "poll": {
        "id": "77",
        "question": "Visio du 9 avril",
        "options": [
            {"persistent_id": "0", "text": "Accueil"},
            {"persistent_id": "1", "text": "Démarches"},
            {"persistent_id": "2", "text": "Inclusion"},
        ],
        "is_closed": False,
        "allows_multiple_answers": True,
    },
}


def test_a_poll_starts_as_element_sends_it_with_a_numbered_fallback() -> None:
    content = start(POLL)
    body = content[POLL_START]
    assert body["question"] == {"org.matrix.msc1767.text": "Visio du 9 avril"}
    assert body["answers"][1] == {"id": "1", "org.matrix.msc1767.text": "Démarches"}
    assert body["max_selections"] == 3
    assert content["body"] == "Visio du 9 avril\n1. Accueil\n2. Démarches\n3. Inclusion"
    single = start({"poll": {**POLL["poll"], "allows_multiple_answers": False}})
    assert single[POLL_START]["max_selections"] == 1


def test_a_stopped_poll_ends_and_other_edits_of_it_show_nothing() -> None:
    assert edit(POLL, "$start") is None
    closed = {**POLL, "poll": {**POLL["poll"], "is_closed": True}}
    kind, content = edit(closed, "$start")
    assert kind == POLL_END
    assert content["m.relates_to"] == {"rel_type": "m.reference", "event_id": "$start"}
    text = {"message_id": 5, "text": "x", "buttons": []}
    assert edit(text, "$m")[0] == "m.room.message"


def test_votes_in_both_shapes_and_typed_numbers() -> None:
    unstable = {"org.matrix.msc3381.poll.response": {"answers": ["1", "2"]}}
    assert selections(unstable) == ["1", "2"]
    assert selections({"m.selections": ["0"]}) == ["0"]
    assert selections({"org.matrix.msc3381.poll.response": {}}) == []
    assert numbered_vote("2", POLL) == ("77", [1])
    assert numbered_vote("1, 3", POLL) == ("77", [0, 2])
    assert numbered_vote("4", POLL) is None
    assert numbered_vote("2 pizzas", POLL) is None
    assert numbered_vote("2", {"message_id": 1, "buttons": []}) is None


def test_keycaps_are_the_numbers_one_to_ten() -> None:
    assert KEYCAPS["1️⃣"] == 1 and KEYCAPS["9\u20e3"] == 9 and KEYCAPS["🔟"] == 10
    assert "👍" not in KEYCAPS


def test_group_rooms_get_stable_negative_ids_in_the_matrix_range() -> None:
    chat_id = group_chat_id("!abc:tchap.gouv.fr")
    assert chat_id == group_chat_id("!abc:tchap.gouv.fr") != group_chat_id("!abd:tchap.gouv.fr")
    assert -(2**53) < chat_id <= -(2**52)
    assert transport_of_id(chat_id) is Transport.MATRIX


def test_an_invitation_tells_who_invited_and_whether_direct() -> None:
    room = {
        "invite_state": {
            "events": [
                {"type": "m.room.name", "content": {"name": "Réseau"}},
                {
                    "type": "m.room.member",
                    "state_key": "@bot:hs",
                    "sender": "@anne:hs",
                    "content": {"membership": "invite"},
                },
            ]
        }
    }
    assert invitation(room, "@bot:hs") == ("@anne:hs", False)
    assert invitation(room, "@other:hs") is None
    assert room_title(room) == "Réseau" and room_title({}) == "Matrix"
