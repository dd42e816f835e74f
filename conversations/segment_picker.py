"""Choosing recipients with buttons: the whole network, or one territory, organisation or role.

Shared by features (newsletters, reminders, diagnostics). A feature gives two button specs
of its own: one whose last field is the segment field (or ``all``), one whose last two
fields are the field and the value's short key (``Segment.key``); this module builds the
rows and reads the presses back, against the members that exist now.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.segment_members import Segments
from bot.domain.segments import EVERYONE, Segment, SegmentField
from bot.i18n import Translator
from bot.localized import Rows

FIELD_CHOICES = frozenset({EVERYONE, *(field.value for field in SegmentField)})
"""What a field button may carry: ``all`` or a segment field."""


def segment_value(t: Translator, segment: Segment) -> str:
    """The value a segment selects on, as shown (role names translated)."""
    if segment.field is SegmentField.ROLE:
        return str(t(f"roles.name.{segment.value}"))
    return segment.value


def shared_label(choice: str) -> str:
    """The catalog key of a field button's label (``all`` or a segment field)."""
    return "segments.everyone_button" if choice == EVERYONE else f"segments.field.{choice}"


async def field_rows(
    t: Translator,
    segments: Segments,
    pack: Callable[[str], str],
    label: Callable[[str], str] = shared_label,
) -> Rows:
    """The whole network (with its count), then one button per field; ``pack(field)``.

    ``label(choice)`` names the catalog key of each label (the whole network's gets
    ``number``), for a feature that words its buttons its own way.
    """
    everyone = len(await segments.member_ids(Segment()))
    rows = [[(t(label(EVERYONE), number=everyone), pack(EVERYONE))]]
    rows += [[(t(label(field.value)), pack(field.value))] for field in SegmentField]
    return rows


async def value_rows(
    t: Translator, segments: Segments, field: str, pack: Callable[[str, str], str]
) -> Rows:
    """One button per value of ``field`` with its count; ``pack(field, key)``; [] if none."""
    if field not in set(SegmentField):
        return []
    return [
        [
            (
                t("segments.value_button", value=segment_value(t, c.segment), number=c.members),
                pack(field, c.segment.key),
            )
        ]
        for c in await segments.choices(SegmentField(field))
    ]


async def chosen(segments: Segments, field: str, key: str | None = None) -> Segment | None:
    """The segment a press names (``all``, or a field and key), None if stale or forged."""
    if field == EVERYONE and key is None:
        return Segment()
    if field not in set(SegmentField) or key is None:
        return None
    found = await segments.find(SegmentField(field), key)
    return found.segment if found else None
