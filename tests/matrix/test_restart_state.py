"""The gateway's state file on its own (no Synapse): what it keeps, and the world it restores."""

from __future__ import annotations

import json
from pathlib import Path

from bot.matrix.identity import matrix_user_number
from bot.matrix.resume import restore_world, save_member, save_message
from bot.matrix.state import GatewayState
from bot.sandbox import RateLimits, Sandbox
from bot.sandbox.actions import answer_poll, send, send_media, tap
from bot.sandbox.messaging import send_message
from bot.sandbox.params import Params
from bot.sandbox.polls import send_poll
from tests.conftest import TEST_TOKEN

MATRIX_ID = "@chloe:maillage.test"
USER_ID = matrix_user_number(MATRIX_ID)
ROOM = "!room:maillage.test"
CHOICES = {
    "inline_keyboard": [
        [{"text": "Oui", "callback_data": "c:yes"}],
        [{"text": "Non", "callback_data": "c:no"}],
    ]
}


def _world_with_a_question(state: GatewayState) -> Sandbox:
    """A member who wrote, and the bot's question with two choices, saved as the bridge does."""
    sandbox = Sandbox(TEST_TOKEN, RateLimits.off(), control=False)
    sandbox.add_user(USER_ID, "Chloé", started=True)
    sandbox.world.updates.journal = state
    save_member(state, sandbox, MATRIX_ID, ROOM)
    hello = send(sandbox.world, USER_ID, "bonjour")
    save_message(state, sandbox, USER_ID, hello["message_id"], None)
    question = send_message(
        sandbox.world,
        Params(
            {
                "chat_id": USER_ID,
                "text": "<b>Venez-vous ?</b>",
                "parse_mode": "HTML",
                "reply_markup": json.dumps(CHOICES),
            }
        ),
    )
    save_message(state, sandbox, USER_ID, question["message_id"], "$question")
    return sandbox


def test_the_sync_token_clears_the_batch_event_ids(tmp_path: Path) -> None:
    state = GatewayState(tmp_path / "gateway.sqlite")
    assert state.since is None
    with state.transaction():
        state.mark_processed("$a")
    state.save_since("s1")
    state.mark_processed("$b")
    state.close()

    reopened = GatewayState(tmp_path / "gateway.sqlite")
    assert reopened.since == "s1"
    assert (reopened.processed("$a"), reopened.processed("$b")) == (False, True)


def test_a_failed_transaction_keeps_nothing(tmp_path: Path) -> None:
    state = GatewayState(tmp_path / "gateway.sqlite")
    try:
        with state.transaction():
            state.mark_processed("$a")
            state.pushed({"update_id": 1, "message": {}}, 2)
            raise RuntimeError("killed mid-way")
    except RuntimeError:
        pass
    assert not state.processed("$a")
    assert state.pending_updates() == ([], 1)


def test_unconfirmed_updates_survive_and_confirmed_ones_do_not(tmp_path: Path) -> None:
    path = tmp_path / "gateway.sqlite"
    state = GatewayState(path)
    sandbox = _world_with_a_question(state)
    tap(sandbox.world, USER_ID, 2, "c:yes")
    queue = sandbox.world.updates
    first = [update["update_id"] for update in list(queue._pending)]
    assert len(first) == 2  # the member's text, then the press
    queue._confirm(first[0] + 1)  # the bot confirmed the text only
    state.close()

    restored = Sandbox(TEST_TOKEN, RateLimits.off(), control=False)
    rooms = restore_world(restored, GatewayState(path))
    assert rooms == {USER_ID: ROOM}
    pending = list(restored.world.updates._pending)
    assert [u["update_id"] for u in pending] == first[1:]
    press = pending[0]["callback_query"]
    assert press["data"] == "c:yes"
    assert press["id"] in restored.world.callbacks  # the bot can still answer it
    restored.world.updates.push("message", {"text": "next"})
    assert restored.world.updates._pending[-1]["update_id"] == first[1] + 1


def test_a_restored_world_presses_and_edits_the_message_sent_before(tmp_path: Path) -> None:
    path = tmp_path / "gateway.sqlite"
    _world_with_a_question(GatewayState(path))

    restored = Sandbox(TEST_TOKEN, RateLimits.off(), control=False)
    state = GatewayState(path)
    restore_world(restored, state)
    chat = restored.world.chat(USER_ID)
    latest = chat.latest_message()
    assert latest is not None and latest.sender.is_bot and latest.message_id == 2
    assert latest.view()["buttons"][1][0]["callback_data"] == "c:no"
    assert state.event_id(USER_ID, 2) == "$question"
    tap(restored.world, USER_ID, 2, "c:no")
    query = restored.world.updates._pending[-1]["callback_query"]
    assert query["message"]["text"] == "Venez-vous ?"
    member = restored.world.user(USER_ID)
    assert (member.first_name, member.started) == ("Chloé", True)
    assert chat.take_message_id() == 3  # ids go on after the restart, never reused


def test_messages_older_than_48_hours_are_forgotten(tmp_path: Path) -> None:
    state = GatewayState(tmp_path / "gateway.sqlite")
    state.save_message(USER_ID, 1, "$old", {"from": "bot", "date": 0})
    state.save_message(USER_ID, 2, "$new", {"from": "bot", "date": 0})
    state._db.execute("UPDATE messages SET saved_at = saved_at - 49 * 3600 WHERE message_id = 1")
    state.prune()
    assert [m.event_id for m in state.messages()] == ["$new"]
    assert state.next_message_ids() == {USER_ID: 3}  # ids are never given twice all the same


def test_a_file_a_member_sent_survives_until_the_bot_took_its_update(tmp_path: Path) -> None:
    path = tmp_path / "gateway.sqlite"
    state = GatewayState(path)
    sandbox = _world_with_a_question(state)
    world = sandbox.world
    with state.transaction():  # as the bridge passes a Matrix file
        view = send_media(world, USER_ID, "document", data=b"Nom;Structure\n", file_name="a.csv")
        stored = world.files.by_id(view["document"]["file_id"])
        assert stored is not None
        state.save_file(stored, world.updates.last_update_id)
    state.close()

    restored = Sandbox(TEST_TOKEN, RateLimits.off(), control=False)
    state = GatewayState(path)
    restore_world(restored, state)
    again = restored.world.files.by_path(stored.file_path)
    assert again is not None and (again.file_id, again.data) == (stored.file_id, stored.data)
    later = restored.world.files.add(b"x", "document", "b.csv")
    assert later.file_path != stored.file_path  # paths go on after the restored ones
    state.confirmed(restored.world.updates.last_update_id + 1)
    assert state.files() == []


def test_a_poll_sent_before_a_restart_keeps_its_votes_and_ids_are_not_reused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "gateway.sqlite"
    state = GatewayState(path)
    sandbox = _world_with_a_question(state)
    poll = send_poll(
        sandbox.world,
        Params(
            {
                "chat_id": USER_ID,
                "question": "Quel sujet ?",
                "options": '["A", "B", "C"]',
                "is_anonymous": "false",
            }
        ),
    )
    save_message(state, sandbox, USER_ID, poll["message_id"], "$poll")
    answer_poll(sandbox.world, USER_ID, poll["poll"]["id"], [1])
    save_message(state, sandbox, USER_ID, poll["message_id"], "$poll")

    restored = Sandbox(TEST_TOKEN, RateLimits.off(), control=False)
    restore_world(restored, GatewayState(path))
    kept = restored.world.polls[poll["poll"]["id"]]
    assert (kept.options, kept.votes) == (["A", "B", "C"], {USER_ID: [1]})
    assert restored.world.chat(USER_ID).messages[poll["message_id"]].poll is kept
    answer_poll(restored.world, USER_ID, kept.id, [2])  # she changes her vote
    assert restored.world.updates._pending[-1]["poll_answer"]["option_ids"] == [2]
    again = send_poll(
        restored.world,
        Params({"chat_id": USER_ID, "question": "Et ensuite ?", "options": '["D", "E"]'}),
    )
    assert again["poll"]["id"] != kept.id
