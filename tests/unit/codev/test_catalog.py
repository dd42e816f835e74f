"""Every message key the feature uses exists (French and English share keys: test_i18n)."""

import re
from pathlib import Path

import pytest

from bot.domain.codev.model import (
    REMINDERS,
    STEPS,
    ActionStatus,
    MeetingMode,
    Rsvp,
    SeatStatus,
    SessionStatus,
)
from bot.i18n import Catalogs

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [*ROOT.glob("conversations/codev/*.py"), ROOT / "schedules/codev/jobs.py"]
DOMAIN = list(ROOT.glob("bot/domain/codev/*.py"))


def _literal_keys() -> set[str]:
    found: set[str] = set()
    for path in SOURCES:
        found |= set(re.findall(r'"(codev\.[a-z_.]+[a-z_])"', path.read_text()))
    return found - {"codev.ics"}  # a file name, not a message


def _error_codes() -> set[str]:
    codes: set[str] = set()
    for path in DOMAIN:
        codes |= set(re.findall(r'CodevError\(\s*"([a-z_]+)"', path.read_text()))
    return (
        codes
        | {"denied", "empty", "too_long", "day_unparseable", "day_past"}
        | {f"already_{status}" for status in SeatStatus}
    )


def _dynamic_keys() -> set[str]:
    families = {
        "codev.create.ask_detail": MeetingMode,
        "codev.create.mode": MeetingMode,
        "codev.group.mode": MeetingMode,
        "codev.schedule.ask_link": MeetingMode,
        "codev.session.status": SessionStatus,
        "codev.session_line": SessionStatus,
        "codev.step.name": STEPS,
        "codev.step.what": STEPS,
        "codev.followup.status": ActionStatus,
        "codev.rsvp": Rsvp,
        "codev.rsvp.noted": Rsvp,
        "codev.reminder": [kind for kind, _ in REMINDERS],
        "codev.offer": ("yes", "no"),
        "codev.request": ("yes", "no"),
        "codev.invitation": ("link", "place"),
        "codev.attendance": ("present", "absent"),
        "codev.error": _error_codes(),
    }
    return {f"{prefix}.{value}" for prefix, values in families.items() for value in values}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_key_used_by_the_feature_exists(language: str) -> None:
    messages = Catalogs().messages[language]
    used = _literal_keys() | _dynamic_keys()
    assert len(used) > 150
    missing = sorted(key for key in used if key not in messages)
    assert not missing
