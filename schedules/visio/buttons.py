"""Every visio button payload (prefix ``vs_…``), shared by the messages and their handlers."""

from __future__ import annotations

from bot.callback_data import CallbackSpec

MENU = CallbackSpec("vs_menu", "item")
VOTE = CallbackSpec("vs_vote", "session", "topic", "tick", version=2)
"""Tick (``tick=1``) or untick (``0``) a topic: the button says what the member asks for, as
they saw it, so a ballot left unredrawn by a crash cannot make a second press undo a tick."""
VOTE_TOGGLE = CallbackSpec("vs_vote", "session", "topic")
"""The version 1 ballot button (a plain toggle), still accepted on ballots sent before."""
RSVP = CallbackSpec("vs_rsvp", "session", "answer")
ICS = CallbackSpec("vs_ics", "session")
ATTEND = CallbackSpec("vs_attend", "session", "answer")
ADMIN = CallbackSpec("vs_admin", "item")
SLOT = CallbackSpec("vs_slot", "ordinal", "day", "time", "duration")
TOPIC = CallbackSpec("vs_topic", "topic")
TOPIC_ACTION = CallbackSpec("vs_tact", "topic", "action")
MERGE = CallbackSpec("vs_merge", "source", "target")
SESSION = CallbackSpec("vs_sess", "session")
SESSION_ACTION = CallbackSpec("vs_sact", "session", "action")
CANCEL = CallbackSpec("vs_cancel", "session", "answer")

UNSET = "x"
"""A wizard field not chosen yet (callback values cannot be empty)."""
