"""Audiences: the whole network, or the registered members sharing one profile value.

A ``Segment`` is a value (everyone, or one field = one value); ``Segments`` (in
``segment_members.py``) lists the members it matches and offers the values that exist,
so a feature (diagnostics, newsletters…) can let an animator pick one with buttons.
Button payloads carry the field and a short digest of the value (``Segment.key``), never
the value itself, which may be long or contain the payload separator.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

EVERYONE = "all"
_KEY_BYTES = 5


class SegmentField(StrEnum):
    """The member fields a segment may select on."""

    TERRITORY = "territory"
    ORGANISATION = "organisation"
    ROLE = "role"


@dataclass(frozen=True)
class Segment:
    """Everyone (``field`` None), or the registered members whose ``field`` equals ``value``."""

    field: SegmentField | None = None
    value: str = ""

    def __post_init__(self) -> None:
        if (self.field is None) != (self.value == ""):
            raise ValueError("a segment is everyone, or one field with a non-empty value")

    @property
    def is_everyone(self) -> bool:
        """True for the whole network."""
        return self.field is None

    @property
    def key(self) -> str:
        """A short stable digest of the value, for button payloads."""
        return value_key(self.value)

    def encode(self) -> str:
        """The text stored in the database: ``all`` or ``<field>=<value>``."""
        return EVERYONE if self.field is None else f"{self.field}={self.value}"

    @classmethod
    def decode(cls, text: str) -> Segment:
        """The segment ``encode`` wrote; ValueError for anything else."""
        if text == EVERYONE:
            return cls()
        field, separator, value = text.partition("=")
        if not separator:
            raise ValueError(f"not a segment: {text!r}")
        return cls(SegmentField(field), value)


def value_key(value: str) -> str:
    """A short digest of a segment value (10 hex characters)."""
    return hashlib.blake2b(value.encode(), digest_size=_KEY_BYTES).hexdigest()


@dataclass(frozen=True)
class SegmentChoice:
    """A segment that exists now, and how many registered members it holds."""

    segment: Segment
    members: int
