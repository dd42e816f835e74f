"""Every co-development button payload (prefix ``cd_``), in one place."""

from __future__ import annotations

from bot.callback_data import CallbackSpec

HOME = CallbackSpec("cd_home")
GROUP = CallbackSpec("cd_grp", "group")
STATS = CallbackSpec("cd_stats")
BROWSE = CallbackSpec("cd_browse")

NEW = CallbackSpec("cd_new")
SIZE = CallbackSpec("cd_size", "size")
MODE = CallbackSpec("cd_mode", "mode")
DEFAULT_CHARTER = CallbackSpec("cd_chdef")

CHARTER = CallbackSpec("cd_charter", "group", "answer")
REQUEST = CallbackSpec("cd_req", "group")
REQUESTS = CallbackSpec("cd_reqs", "group")
DECIDE = CallbackSpec("cd_decide", "group", "user", "answer")
OFFER = CallbackSpec("cd_offer", "group", "answer")

INVITE = CallbackSpec("cd_inv", "group")
REVOKE = CallbackSpec("cd_revoke", "group")
LEAVE = CallbackSpec("cd_leave", "group")
LEAVE_OK = CallbackSpec("cd_leave_ok", "group")
REMOVE = CallbackSpec("cd_rm", "group")
REMOVE_OK = CallbackSpec("cd_rm_ok", "group", "user")
CLAIM = CallbackSpec("cd_claim", "group")
BIND = CallbackSpec("cd_bind", "group", "chat")
UNBIND = CallbackSpec("cd_unbind", "group")
BOXES = CallbackSpec("cd_boxes", "group")

ASK = CallbackSpec("cd_ask", "group")
SESSION = CallbackSpec("cd_ses", "session")
DECLINE = CallbackSpec("cd_decline", "session")
SCHEDULE = CallbackSpec("cd_sched", "session")
USUAL_LINK = CallbackSpec("cd_link", "session")
DATES = CallbackSpec("cd_dates", "session")
VOTE = CallbackSpec("cd_vote", "session", "option")
PICK = CallbackSpec("cd_pick", "session", "option")
RSVP = CallbackSpec("cd_rsvp", "session", "answer")
ICS = CallbackSpec("cd_ics", "session")

GUIDE = CallbackSpec("cd_guide", "session", "mode")
STEP = CallbackSpec("cd_step", "session", "step")
ATTENDANCE = CallbackSpec("cd_atts", "session")
ATTEND = CallbackSpec("cd_att", "session", "user")

PLAN = CallbackSpec("cd_plan", "session")
PLAN_DONE = CallbackSpec("cd_pdone", "session")
LEARN = CallbackSpec("cd_learn", "session")
FOLLOWUP = CallbackSpec("cd_fu", "session")
FOLLOWUP_STATUS = CallbackSpec("cd_fus", "action", "status")
FOLLOWUP_SKIP = CallbackSpec("cd_fuskip", "action")


def number(values: dict[str, str] | None, field: str) -> int | None:
    """An integer field of an unpacked payload, or None if absent or not a number."""
    if values is None:
        return None
    text = values.get(field, "")
    if text.startswith("-"):
        return -int(text[1:]) if text[1:].isdigit() else None
    return int(text) if text.isdigit() else None
