"""Calendar files (.ics, RFC 5545) for invitations, updates and cancellations, via icalendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

PRODUCT_ID = "-//maillage//Telegram network assistant//FR"


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting as calendar apps see it; bump ``sequence`` on every change."""

    uid: str
    title: str
    start: datetime
    end: datetime
    timezone: ZoneInfo
    description: str = ""
    location: str | None = None
    url: str | None = None
    sequence: int = 0
    cancelled: bool = False

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("calendar times must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("an event must end after it starts")


def to_ics(event: CalendarEvent, stamp: datetime) -> bytes:
    """The event as an .ics file in the network's zone (with its VTIMEZONE); ``stamp`` is now."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if event.cancelled else "PUBLISH")
    calendar.add_component(
        Timezone.from_tzinfo(event.timezone, first_date=event.start.astimezone(event.timezone))
    )
    entry = Event()
    entry.add("uid", event.uid)
    entry.add("dtstamp", stamp)
    entry.add("sequence", event.sequence)
    entry.add("summary", event.title)
    entry.add("dtstart", event.start.astimezone(event.timezone))
    entry.add("dtend", event.end.astimezone(event.timezone))
    entry.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.description:
        entry.add("description", event.description)
    if event.location:
        entry.add("location", event.location)
    if event.url:
        entry.add("url", event.url)
    calendar.add_component(entry)
    return calendar.to_ical()
