"""Buttons of the statistics (payloads packed in one place, ≤ 64 bytes).

``m`` is a month ``YYYY-MM`` or ``year`` (the 12 months ending with the current one).
"""

from __future__ import annotations

from bot.callback_data import CallbackSpec

YEAR = "year"
MENU = CallbackSpec("stats_menu")
"""Back to the choice of month."""
VIEW = CallbackSpec("stats_view", "m")
"""The figures of month ``m`` (or of the 12 months)."""
CHART = CallbackSpec("stats_chart", "m")
"""The chart of the 12 months ending with ``m``."""
EXPORT = CallbackSpec("stats_export", "m", "f")
"""The figures of ``m`` as a file: ``f`` is ``csv`` or ``json``."""
PUBLISH = CallbackSpec("stats_pub", "m")
"""Preview month ``m``'s digest before publishing it."""
CONFIRM = CallbackSpec("stats_ok", "m", "t")
"""Publish month ``m``'s digest to the members, as previewed with token ``t``."""
CANCEL = CallbackSpec("stats_no", "m", "t")
"""Drop the preview of month ``m`` (token ``t``)."""
MONTHLY = CallbackSpec("stats_auto", "on")
"""Switch the monthly preparation on (``1``) or off (``0``)."""
SEEN = CallbackSpec("stats_seen", "m")
"""A member reads the published digest of month ``m``."""
