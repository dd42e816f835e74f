"""Newsletters and reminders: drafts, composition in every language, audiences, sends, reports.

An animator's draft (text, audience, urgency) is written to the database as soon as it
changes. Composing renders it through the templates in each language, fills the sections a
newsletter tells by itself, checks Telegram's HTML and splits long text into parts. The
sends themselves belong to the delivery engine; this service remembers which sends are
broadcasts, who wrote them and whether their author got the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import SUPPORTED_LANGUAGES, Settings
from bot.delivery import Audience, DeliveryEngine
from bot.delivery.content import visible_length
from bot.domain.codev.service import CodevService
from bot.domain.membership import MembershipService
from bot.domain.newsletter.model import (
    BroadcastDraft,
    BroadcastKind,
    BroadcastSend,
    Composition,
    LetterFacts,
    NewsletterError,
)
from bot.domain.newsletter.preferences import BroadcastPreferences
from bot.domain.newsletter.sections import LetterSections
from bot.domain.newsletter.split import HtmlError, split_html
from bot.domain.newsletter.template import LetterTemplates, template_dirs, template_name
from bot.domain.segment_members import Segments
from bot.domain.segments import Segment
from bot.domain.visio import VisioService
from bot.i18n import Catalogs, Translator
from bot.storage.db import Database
from bot.storage.newsletter.broadcasts import NewsletterStore


@dataclass(frozen=True)
class Prepared:
    """A draft ready to be sent: its rendering and who it would reach now."""

    draft: BroadcastDraft
    composition: Composition
    member_ids: tuple[int, ...]
    audience: Audience


@dataclass(frozen=True)
class Waiting:
    """A broadcast scheduled for later, as listed for cancelling."""

    send_id: int
    due_at: datetime
    segment: Segment
    recipients: int
    urgent: bool


@dataclass(frozen=True)
class Voice:
    """How broadcasts speak: the network's name, its languages (its own first), dates."""

    network: str
    languages: tuple[str, ...]
    catalogs: Catalogs
    zone: ZoneInfo

    def translator(self, language: str) -> Translator:
        """Dates and messages in ``language``."""
        return Translator(self.catalogs, language, self.zone)


class Newsletters:
    """Composing and sending newsletters and reminders, members' ``preferences``; personal data."""

    name = "newsletter"

    def __init__(
        self,
        store: NewsletterStore,
        templates: LetterTemplates,
        sections: LetterSections,
        segments: Segments,
        deliveries: DeliveryEngine,
        preferences: BroadcastPreferences,
        clock: Clock,
        voice: Voice,
    ) -> None:
        self.preferences = preferences
        self._store = store
        self._templates = templates
        self._sections = sections
        self._segments = segments
        self._deliveries = deliveries
        self._clock = clock
        self._voice = voice

    @classmethod
    def build(
        cls,
        db: Database,
        settings: Settings,
        clock: Clock,
        catalogs: Catalogs,
        *,
        segments: Segments,
        deliveries: DeliveryEngine,
        members: MembershipService,
        visio: VisioService,
        codev: CodevService,
    ) -> Newsletters:
        """The service wired on the database, the network's templates and the other features."""
        store = NewsletterStore(db)
        voice = Voice(
            settings.network_name,
            languages_first(settings.language, SUPPORTED_LANGUAGES),
            catalogs,
            settings.timezone,
        )
        return cls(
            store,
            LetterTemplates(template_dirs(settings.db_path)),
            LetterSections(store, visio, codev, clock),
            segments,
            deliveries,
            BroadcastPreferences(members, deliveries.preferences),
            clock,
            voice,
        )

    # -- drafts -----------------------------------------------------------------------------

    async def draft(self, user_id: int, kind: BroadcastKind) -> BroadcastDraft:
        """The animator's current draft of this kind (an empty one if none)."""
        return await self._store.draft(user_id, kind) or BroadcastDraft(user_id, kind)

    async def add_text(self, user_id: int, kind: BroadcastKind, text: str) -> BroadcastDraft:
        """Append a paragraph (Telegram HTML, as typed) to the draft; refuse empty or too long."""
        if not text.strip():
            raise NewsletterError("empty_text")
        draft = await self.draft(user_id, kind)
        body = f"{draft.body}\n\n{text.strip()}" if draft.body else text.strip()
        length = visible_length(body)
        if length > kind.max_length:
            raise NewsletterError("too_long", limit=kind.max_length, length=length)
        return await self._save(replace(draft, body=body))

    async def clear(self, user_id: int, kind: BroadcastKind) -> None:
        """Drop the draft."""
        await self._store.delete_draft(user_id, kind)

    async def set_segment(
        self, user_id: int, kind: BroadcastKind, segment: Segment
    ) -> BroadcastDraft:
        """Address the draft to everyone or one segment."""
        return await self._save(replace(await self.draft(user_id, kind), segment=segment))

    async def toggle_urgent(self, user_id: int, kind: BroadcastKind) -> BroadcastDraft:
        """Mark the draft urgent (it ignores quiet hours) or not any more."""
        draft = await self.draft(user_id, kind)
        return await self._save(replace(draft, urgent=not draft.urgent))

    async def _save(self, draft: BroadcastDraft) -> BroadcastDraft:
        await self._store.save_draft(draft, self._clock.now())
        return draft

    # -- composing --------------------------------------------------------------------------

    async def prepare(self, user_id: int, kind: BroadcastKind) -> Prepared:
        """Render the draft in every language and count its audience; NewsletterError if broken."""
        draft = await self.draft(user_id, kind)
        if not draft.body:
            raise NewsletterError("empty_draft")
        facts = await self._sections.gather() if kind is BroadcastKind.NEWSLETTER else None
        composition = self.compose(draft, facts or LetterFacts())
        member_ids = await self._segments.member_ids(draft.segment)
        audience = await self._deliveries.audience(member_ids, kind.category)
        return Prepared(draft, composition, tuple(member_ids), audience)

    def compose(self, draft: BroadcastDraft, facts: LetterFacts) -> Composition:
        """The draft rendered and split in each language, or NewsletterError."""
        versions = {}
        for language in self._voice.languages:
            context = letter_context(self._voice.translator(language), self._voice.network, facts)
            text = self._templates.render_text(draft.body, context)
            name = template_name(draft.kind.value, language)
            html = self._templates.render(name, {**context, "text": text})
            try:
                versions[language] = tuple(split_html(html.strip()))
            except HtmlError as error:
                raise NewsletterError("html", source=name, detail=str(error)) from error
            if not versions[language]:
                raise NewsletterError("empty_draft")
        return Composition(versions)

    # -- sends ------------------------------------------------------------------------------

    async def record_send(self, send_id: int, draft: BroadcastDraft) -> None:
        """The draft became this send: remember it for the report, and clear the draft."""
        now = self._clock.now()
        await self._store.record_send(send_id, draft.kind, draft.user_id, draft.segment, now)
        await self._store.delete_draft(draft.user_id, draft.kind)

    async def broadcast(self, send_id: int) -> BroadcastSend | None:
        """The broadcast behind a send, if it is one."""
        return await self._store.send(send_id)

    async def waiting(self, kind: BroadcastKind) -> list[Waiting]:
        """Broadcasts of this kind scheduled for later, soonest first."""
        waiting = []
        for send in await self._deliveries.sends([kind.value]):
            broadcast = await self._store.send(send.id)
            report = await self._deliveries.report(send.id)
            if broadcast is None or report is None:
                continue
            waiting.append(
                Waiting(send.id, send.due_at, broadcast.segment, report.total, send.urgent)
            )
        return waiting

    async def cancel(self, send_id: int, kind: BroadcastKind) -> bool:
        """Cancel a scheduled broadcast of this kind; False if it is not (or no longer) one."""
        broadcast = await self._store.send(send_id)
        if broadcast is None or broadcast.kind is not kind:
            return False
        if not await self._deliveries.cancel(send_id):
            return False
        await self._store.claim_report(send_id, self._clock.now())
        return True

    async def resend(self, send_id: int) -> int:
        """Send again to the failed and unknown rows; their report is owed again."""
        count = await self._deliveries.resend(send_id)
        if count:
            await self._store.reopen_report(send_id)
        return count

    async def due_reports(self) -> list[tuple[int, datetime]]:
        """Broadcasts owing a report, each with when its send is due (past: at once)."""
        due = dict(await self._deliveries.due_sends())
        now = self._clock.now()
        return [(send_id, due.get(send_id, now)) for send_id in await self._store.unreported()]

    async def claim_report(self, send_id: int) -> bool:
        """True once per broadcast (per resend): the caller posts the report."""
        return await self._store.claim_report(send_id, self._clock.now())

    # -- personal data ----------------------------------------------------------------------

    async def export_personal_data(self, user_id: int) -> dict[str, Any]:
        """The animator's drafts and the broadcasts they sent."""
        return await self._store.personal_data(user_id)

    async def erase_personal_data(self, user_id: int) -> None:
        """Drop the drafts; sent broadcasts stay without their author."""
        await self._store.erase(user_id)


def letter_context(t: Translator, network: str, facts: LetterFacts) -> dict[str, Any]:
    """The variables templates and animators' texts may use, dates in ``t``'s language."""
    return {
        "network": network,
        "since": t.datetime(facts.since) if facts.since else "",
        "events": [{"title": e.title, "when": t.datetime(e.starts_at)} for e in facts.events],
        "open_votes": [
            {"session": t.datetime(v.starts_at), "closes": t.datetime(v.closes_at)}
            for v in facts.open_votes
        ],
        "votes": [
            {"title": v.title, "voters": v.voters, "session": t.datetime(v.starts_at)}
            for v in facts.votes
        ],
        "new_members": [
            {"name": m.name, "organisation": m.organisation or "", "territory": m.territory or ""}
            for m in facts.new_members
        ],
        "more_members": facts.new_members_total - len(facts.new_members),
        "codev": (
            {
                "groups": facts.codev.groups,
                "members": facts.codev.members,
                "sessions": facts.codev.sessions_held,
            }
            if facts.codev
            else None
        ),
    }


def languages_first(first: str, supported: Sequence[str]) -> tuple[str, ...]:
    """The supported languages, ``first`` leading (it serves members of other languages)."""
    return (first, *(language for language in supported if language != first))
