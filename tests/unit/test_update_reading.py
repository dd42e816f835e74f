"""The getUpdates answer: one update the library cannot read no longer blocks the others."""

from __future__ import annotations

import json
import logging

import pytest
from telegram import Update

from bot.update_reading import UpdatesRequest, readable_updates

MESSAGE = {
    "message_id": 1,
    "date": 1_900_000_000,
    "chat": {"id": 5, "type": "private"},
    "from": {"id": 5, "is_bot": False, "first_name": "Zoé"},
    "text": "bonjour",
}


def test_unreadable_updates_keep_their_id_only(caplog: pytest.LogCaptureFixture) -> None:
    raw = [
        {"update_id": 1, "message": MESSAGE},
        {"update_id": 2, "poll": {"id": "1"}},  # required fields missing
        {"update_id": 3, "something_new": {"x": 1}},  # unknown kinds are readable
        {"update_id": 4, "callback_query": {"id": "1", "data": "x"}},
        {"no_update_id": True},
        "not an object",
        {"update_id": True, "message": MESSAGE},
    ]
    with caplog.at_level(logging.WARNING):
        kept = readable_updates(raw)
    assert kept == [raw[0], {"update_id": 2}, raw[2], {"update_id": 4}]
    assert [Update.de_json(item, None).update_id for item in kept] == [1, 2, 3, 4]
    assert not any(record.exc_info for record in caplog.records)  # one line, no traceback
    assert "skipped update 2 (poll)" in caplog.text


def test_only_successful_update_lists_are_filtered() -> None:
    ok = json.dumps({"ok": True, "result": [{"update_id": 9, "poll": {}}]}).encode()
    assert UpdatesRequest.parse_json_payload(ok) == {"ok": True, "result": [{"update_id": 9}]}
    refused = {"ok": False, "error_code": 409, "description": "Conflict"}
    assert UpdatesRequest.parse_json_payload(json.dumps(refused).encode()) == refused
    assert UpdatesRequest.parse_json_payload(b'{"ok": true, "result": true}')["result"] is True
