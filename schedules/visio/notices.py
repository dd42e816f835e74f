"""Notices rendered in every language, as the delivery engine's ``Content``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from bot.delivery import Content
from bot.domain.visio import BallotView, Notice, NoticeKind
from bot.i18n import Translator
from bot.localized import localized_content
from schedules.visio import messages as m
from schedules.visio.messages import Rows

Rendered = tuple[list[str], Rows]


def _call(t: Translator, n: Notice) -> Rendered:
    assert n.session.vote_opens_at is not None
    text = m.lines(
        t(
            "visio.call.text",
            when=t.datetime(n.session.starts_at),
            opens=t.datetime(n.session.vote_opens_at),
        ),
        t("visio.call.backlog", count=n.backlog) if n.backlog else "",
    )
    return [text], m.propose_rows(t)


def _empty(t: Translator, n: Notice) -> Rendered:
    assert n.session.vote_opens_at is not None
    text = t(
        "visio.animators.empty",
        when=t.datetime(n.session.starts_at),
        opens=t.datetime(n.session.vote_opens_at),
    )
    return [str(text)], []


def _no_topic(t: Translator, n: Notice) -> Rendered:
    return [str(t("visio.animators.no_topic", when=t.datetime(n.session.starts_at)))], []


def _ballot(t: Translator, n: Notice) -> Rendered:
    view = BallotView(n.session, n.ballot)
    return [m.ballot_text(t, view)], m.ballot_rows(t, view)


def _result(t: Translator, n: Notice) -> Rendered:
    assert n.tally is not None
    return [m.result(t, n.session, n.tally), m.invitation(t, n.session, n.link)], m.rsvp_rows(
        t, n.session
    )


def _invitation(t: Translator, n: Notice) -> Rendered:
    return [m.invitation(t, n.session, n.link)], m.rsvp_rows(t, n.session)


def _reminder(t: Translator, n: Notice) -> Rendered:
    text = m.lines(
        t(
            "visio.reminder.text",
            title=m.title_of(t, n.session),
            when=t.datetime(n.session.starts_at),
        ),
        m.link_line(t, n.link),
    )
    return [text], m.rsvp_rows(t, n.session)


def _feedback(t: Translator, n: Notice) -> Rendered:
    text = t("visio.feedback.text", title=m.title_of(t, n.session))
    return [str(text)], m.attendance_rows(t, n.session)


def _report(t: Translator, n: Notice) -> Rendered:
    assert n.attendance is not None
    return m.report(t, n.session, n.attendance, n.satisfaction), []


def _postponed(t: Translator, n: Notice) -> Rendered:
    assert n.previous_start is not None
    text = m.lines(
        t(
            "visio.change.postponed",
            title=m.title_of(t, n.session),
            before=t.datetime(n.previous_start),
            when=t.datetime(n.session.starts_at),
        ),
        m.link_line(t, n.link),
    )
    return [text], m.calendar_rows(t, n.session)


def _cancelled(t: Translator, n: Notice) -> Rendered:
    text = t(
        "visio.change.cancelled",
        title=m.title_of(t, n.session),
        when=t.datetime(n.session.starts_at),
    )
    rows = m.calendar_rows(t, n.session) if n.session.title is not None else []
    return [str(text)], rows


RENDERERS: dict[NoticeKind, Callable[[Translator, Notice], Rendered]] = {
    NoticeKind.CALL: _call,
    NoticeKind.EMPTY: _empty,
    NoticeKind.NO_TOPIC: _no_topic,
    NoticeKind.BALLOT: _ballot,
    NoticeKind.RESULT: _result,
    NoticeKind.INVITATION: _invitation,
    NoticeKind.REMINDER: _reminder,
    NoticeKind.FEEDBACK: _feedback,
    NoticeKind.REPORT: _report,
    NoticeKind.POSTPONED: _postponed,
    NoticeKind.CANCELLED: _cancelled,
}


CALENDAR_NOTICES = frozenset(
    {NoticeKind.RESULT, NoticeKind.INVITATION, NoticeKind.POSTPONED, NoticeKind.CANCELLED}
)
"""The notices that carry the session's .ics file (when the session has a title)."""


def render(
    notice: Notice,
    translator: Callable[[str], Translator],
    first: str,
    calendar: bytes | None = None,
) -> Content:
    """The notice in every language, ``first`` (the network's language) as the default.

    ``calendar``, the session's .ics file, is attached to every language's message.
    """
    attach = (
        partial(m.calendar_document, session=notice.session, data=calendar) if calendar else None
    )
    return localized_content(partial(RENDERERS[notice.kind], n=notice), translator, first, attach)
