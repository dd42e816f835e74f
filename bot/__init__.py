"""maillage: a Telegram assistant for professional networks of the French public sector."""

import os

# Opt in to python-telegram-bot's future behaviour: RetryAfter.retry_after is a timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "1")
