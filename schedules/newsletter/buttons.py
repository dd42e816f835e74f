"""Buttons under broadcasts and reports (payloads packed in one place, ≤ 64 bytes)."""

from __future__ import annotations

from bot.callback_data import CallbackSpec

OPT_OUT = CallbackSpec("pref_out", "c")
"""Under every newsletter and reminder: stop receiving this category (``c``)."""
RESEND = CallbackSpec("nl_resend", "s")
"""Under a delivery report: send again to the failed and unknown rows of send ``s``."""
