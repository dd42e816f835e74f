"""Every project button payload (prefix ``pj_…``), shared by the messages and their handlers."""

from __future__ import annotations

from bot.callback_data import CallbackSpec

MENU = CallbackSpec("pj_menu", "item")
VIEW = CallbackSpec("pj_view", "project")
ACTION = CallbackSpec("pj_act", "project", "action")
"""A holder's typed action on a project (note, milestone, limit)."""
CHECKLIST = CallbackSpec("pj_check", "project")
ANSWER = CallbackSpec("pj_ans", "project", "step", "criterion", "answer")
"""The holder's answer to one criterion of the step shown (``criterion``: its position)."""
VALIDATE = CallbackSpec("pj_valid", "project", "step")
JOIN = CallbackSpec("pj_join", "project", "join")
IDEA = CallbackSpec("pj_idea", "campaign", "theme")
ANSWER_CODES = {"m": "met", "n": "not_yet", "x": "na"}
"""Short answer codes on buttons (64 bytes) and the answers they stand for."""
EXPORT = CallbackSpec("pj_export", "format")
"""An animator's export of the portfolio: ``csv``, ``xlsx`` or the ``png`` funnel."""
WAVE = CallbackSpec("pj_wave", "campaign")
"""Launch the impact wave after this (baseline) campaign."""
