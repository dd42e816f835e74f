"""The buttons of onboarding (consent, profile edits, confirmation), shared with features."""

from __future__ import annotations

from bot.callback_data import CallbackSpec

CONSENT = CallbackSpec("consent", "answer")
EDIT = CallbackSpec("onb_edit", "field")
CONFIRM = CallbackSpec("onb_ok")
