"""Members, their roles and their profile: the rules, with no Telegram in sight."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

PROFILE_FIELDS: tuple[str, ...] = ("display_name", "organisation", "territory", "function")
MAX_PROFILE_LENGTH = 100


class Role(StrEnum):
    """What a member may do; each role includes the ones before it."""

    MEMBER = "member"
    FACILITATOR = "facilitator"
    ANIMATOR = "animator"

    @property
    def rank(self) -> int:
        """Position in the hierarchy member < facilitator < animator."""
        return list(Role).index(self)


@dataclass(frozen=True)
class Member:
    """A person who accepted the privacy notice."""

    user_id: int
    language: str
    role: Role
    display_name: str | None
    organisation: str | None
    territory: str | None
    function: str | None
    consent_version: str
    consented_at: datetime
    registered_at: datetime | None
    subscribed: bool
    unreachable_at: datetime | None

    @property
    def is_registered(self) -> bool:
        """True once the profile was confirmed."""
        return self.registered_at is not None

    def has_role(self, required: Role) -> bool:
        """True if this member's role is ``required`` or above."""
        return self.role.rank >= required.rank

    def missing_fields(self) -> list[str]:
        """Profile fields not answered yet, in the order they are asked."""
        return [name for name in PROFILE_FIELDS if not getattr(self, name)]


class ProfileError(ValueError):
    """A profile answer was refused; ``code`` names the reason for the catalog."""

    def __init__(self, code: str, limit: int = MAX_PROFILE_LENGTH) -> None:
        super().__init__(code)
        self.code = code
        self.limit = limit


def clean_profile_value(field: str, text: str) -> str:
    """Normalise a typed profile answer or raise ProfileError."""
    if field not in PROFILE_FIELDS:
        raise ProfileError("unknown_field")
    value = " ".join(text.split())
    if not value:
        raise ProfileError("empty")
    if len(value) > MAX_PROFILE_LENGTH:
        raise ProfileError("too_long")
    return value
