"""The texts and buttons of visio messages, in one member's language.

Shared by the scheduled notices (rendered for every language, sent through the delivery
engine) and by the handlers (a ballot redrawn after a tap, the menus). Buttons are
``(label, callback data)`` rows with catalog labels; ``conversations.common.keyboard`` and
``bot.localized`` turn them into plain text for Telegram.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from babel.dates import format_datetime
from babel.numbers import format_decimal
from markupsafe import escape

from bot.delivery import Attachment
from bot.domain.visio import (
    Attendance,
    BallotView,
    HistoryEntry,
    Satisfaction,
    Session,
    SessionStatus,
    Tally,
    Topic,
)
from bot.i18n import Translator
from schedules.visio.buttons import ATTEND, ICS, MENU, RSVP, VOTE

Button = tuple[str, str]
Rows = list[list[Button]]
"""Button rows; labels come from the catalogs (escaped), the keyboard builders unescape them."""
EMPTY = Satisfaction(0, 0)
PART_LIMIT = 3500
"""Characters per message part: under Telegram's 4,096 with room for entities."""


def plain(text: str) -> str:
    """Catalog output as plain text (poll question and options): entities decoded."""
    return html.unescape(str(text))


def lines(*parts: str) -> str:
    """Message parts joined by line breaks, empty ones left out."""
    return "\n".join(str(part) for part in parts if part)


def local(t: Translator, instant: datetime, key: str) -> str:
    """``instant`` in the network's zone with the ``visio.format.<key>`` pattern."""
    pattern = str(t(f"visio.format.{key}"))
    return format_datetime(instant, pattern, tzinfo=t.timezone, locale=t.language)


def decimal(t: Translator, value: float) -> str:
    """A number with one decimal in the member's language (4,5 / 4.5)."""
    return format_decimal(value, format="0.0", locale=t.language)


def title_of(t: Translator, session: Session) -> str:
    """The session's topic, "monthly session" before the vote, or "topic withdrawn"."""
    if session.title is None:
        return str(t("visio.change.untitled"))
    return topic_title(t, session.title)


def topic_title(t: Translator, title: str) -> str:
    """A topic's title, or "topic withdrawn" once its author erased their data (empty)."""
    return title or str(t("visio.change.withdrawn"))


def link_line(t: Translator, link: str | None) -> str:
    """The video link, or the promise that it will come."""
    return t("visio.invitation.link", link=link) if link else t("visio.invitation.no_link")


def rsvp_rows(t: Translator, session: Session) -> Rows:
    """The RSVP buttons (I will be there, I cannot come) and the calendar file."""
    return [
        [
            (str(t("visio.button.yes")), RSVP.pack(session=session.id, answer="yes")),
            (str(t("visio.button.no")), RSVP.pack(session=session.id, answer="no")),
        ],
        [(str(t("visio.button.calendar")), ICS.pack(session=session.id))],
    ]


def calendar_document(t: Translator, session: Session, data: bytes) -> Attachment:
    """The session's .ics file as members receive it: named after its day, with a caption."""
    day = session.starts_at.astimezone(t.timezone).date().isoformat()
    caption = t("visio.ics.caption" if session.is_live else "visio.ics.cancelled")
    return Attachment(f"visio-{day}.ics", data, str(caption))


def calendar_rows(t: Translator, session: Session) -> Rows:
    """The button that sends the session's current calendar file."""
    return [[(str(t("visio.button.update_calendar")), ICS.pack(session=session.id))]]


def propose_rows(t: Translator) -> Rows:
    """Propose a topic; see the proposed ones."""
    return [
        [(str(t("visio.button.propose")), MENU.pack(item="propose"))],
        [(str(t("visio.button.backlog")), MENU.pack(item="backlog"))],
    ]


def invitation(t: Translator, session: Session, link: str | None) -> str:
    """Topic, date, time, link, description and the RSVP question."""
    return lines(
        t(
            "visio.invitation.text",
            title=title_of(t, session),
            when=t.datetime(session.starts_at),
            end=local(t, session.ends_at, "time"),
        ),
        link_line(t, link),
        escape(session.description) if session.description else "",
        "",
        t("visio.invitation.question"),
    )


def ballot_text(t: Translator, view: BallotView) -> str:
    """The ballot's heading and how many topics the member ticked."""
    closes = view.session.vote_closes_at
    assert closes is not None
    heading = t(
        "visio.ballot.text", when=t.datetime(view.session.starts_at), closes=t.datetime(closes)
    )
    return lines(heading, "", t("visio.ballot.ticked", count=len(view.ticked)))


def ballot_rows(t: Translator, view: BallotView) -> Rows:
    """One toggle per topic, ticked or not."""
    return [
        [
            (
                t(
                    "visio.ballot.on" if topic.id in view.ticked else "visio.ballot.off",
                    title=topic_title(t, topic.title),
                ),
                VOTE.pack(
                    session=view.session.id, topic=topic.id, tick=int(topic.id not in view.ticked)
                ),
            )
        ]
        for topic in view.options
    ]


def result(t: Translator, session: Session, tally: Tally) -> str:
    """The announcement: the winner, every topic's approvals, turnout, the tie rule."""
    ranking = [
        t(
            "visio.result.line",
            title=topic_title(t, c.topic.title),
            votes=t("visio.result.votes", count=c.votes),
        )
        for c in tally.ranking
    ]
    return lines(
        t("visio.result.title", when=t.datetime(session.starts_at)),
        t("visio.result.winner", title=topic_title(t, tally.winner.title)),
        "",
        *ranking,
        "",
        t("visio.result.voters", count=tally.voters),
        t("visio.result.tie") if tally.tie else "",
    )


def attendance_rows(t: Translator, session: Session) -> Rows:
    """The buttons "I attended" and "I could not come"."""
    return [
        [
            (str(t(f"visio.button.{answer}")), ATTEND.pack(session=session.id, answer=answer))
            for answer in ("attended", "absent")
        ]
    ]


def satisfaction_line(t: Translator, figures: Satisfaction | None) -> str:
    """The satisfaction questionnaire's mean, or why it does not show yet."""
    if figures is None:
        return ""
    if figures.mean is None:
        return t(
            "visio.satisfaction.hidden",
            threshold=figures.threshold,
            respondents=figures.respondents,
        )
    return t(
        "visio.satisfaction.mean",
        average=decimal(t, figures.mean),
        respondents=figures.respondents,
    )


def chunks(texts: Sequence[str], limit: int = PART_LIMIT) -> list[str]:
    """Lines grouped into as few messages as fit under ``limit`` characters each."""
    parts: list[str] = []
    current = ""
    for text in (str(x) for x in texts):
        if current and len(current) + 1 + len(text) > limit:
            parts.append(current)
            current = ""
        current = f"{current}\n{text}" if current else text
    return [*parts, current] if current else parts


def report(
    t: Translator, session: Session, summary: Attendance, figures: Satisfaction | None
) -> list[str]:
    """The session's report for the animators (comments without names), in message parts."""
    comments = [t("visio.animators.report_comment", comment=c) for c in (figures or EMPTY).comments]
    heading = lines(
        t(
            "visio.animators.report_title",
            title=title_of(t, session),
            when=t.datetime(session.starts_at),
        ),
        t("visio.animators.report_rsvp", yes=summary.yes, no=summary.no),
        t("visio.animators.report_attended", attended=summary.attended),
        satisfaction_line(t, figures) or t("visio.satisfaction.none"),
        t("visio.animators.report_comments") if comments else "",
    )
    return chunks([heading, *comments])


def history(t: Translator, entries: Sequence[HistoryEntry], now: datetime) -> list[str]:
    """The year's sessions, their state and figures, in message parts."""
    year = now.astimezone(t.timezone).year
    body: list[str] = []
    for entry in entries:
        session = entry.session
        held = session.status is SessionStatus.SCHEDULED and session.ends_at <= now
        status = "done" if held else session.status.value
        body.append(
            t(
                "visio.history.line",
                day=local(t, session.starts_at, "day"),
                title=title_of(t, session),
                status=t(f"visio.status.{status}"),
            )
        )
        if session.status is SessionStatus.SCHEDULED:
            figures, mean = entry.attendance, entry.satisfaction
            score = (
                t("visio.history.satisfaction", average=decimal(t, mean.mean))
                if mean is not None and mean.mean is not None
                else ""
            )
            body.append(
                t("visio.history.figures", yes=figures.yes, attended=figures.attended, score=score)
            )
    return chunks([t("visio.history.title", year=year), *(body or [t("visio.history.empty")])])


def backlog(t: Translator, topics: Sequence[Topic]) -> str:
    """The proposed topics waiting for a vote."""
    if not topics:
        return str(t("visio.backlog.empty"))
    return lines(
        t("visio.backlog.title"),
        *(
            t("visio.backlog.line", number=n, title=topic_title(t, topic.title))
            for n, topic in enumerate(topics, 1)
        ),
    )


def reminders(t: Translator, minutes: Sequence[int]) -> str:
    """``7 j, 1 j, 1 h`` from minutes before the session."""
    parts = []
    for value in minutes:
        if value % 1440 == 0:
            parts.append(t("visio.reminder_unit.days", n=value // 1440))
        elif value % 60 == 0:
            parts.append(t("visio.reminder_unit.hours", n=value // 60))
        else:
            parts.append(t("visio.reminder_unit.minutes", n=value))
    return ", ".join(str(p) for p in parts)
