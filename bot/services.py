"""The long-lived services of one bot instance, opened before the Application starts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.delivery import DeliveryEngine, Sender
from bot.delivery.telegram_sender import TelegramSender
from bot.domain.audit import AuditJournal
from bot.domain.codev.service import CodevService
from bot.domain.diagnostic.questionnaire import QuestionnaireLibrary
from bot.domain.diagnostic.service import Diagnostics, questionnaire_dirs
from bot.domain.directory import DirectoryService
from bot.domain.faq import FaqService
from bot.domain.links import LinkedAddressing, LinkService
from bot.domain.membership import MembershipService
from bot.domain.newsletter.service import Newsletters
from bot.domain.privacy import PersonalDataSource, PrivacyService, SendsOfPerson
from bot.domain.projects import ProjectService, load_checklist
from bot.domain.retention import RetentionService
from bot.domain.segment_members import Segments
from bot.domain.stats.service import StatsService
from bot.domain.visio import VisioService
from bot.i18n import Catalogs, Translator
from bot.storage.audit import AuditStore
from bot.storage.authored_sends import AuthoredSends
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from bot.storage.deliveries import DeliveryStore
from bot.storage.group_chats import GroupChatStore
from bot.storage.links import LinkStore
from bot.storage.members import MemberStore
from bot.storage.migrations import migrate
from bot.storage.segments import SegmentStore


@dataclass
class Services:
    """Settings, clock, database and the domain services built on them."""

    settings: Settings
    clock: Clock
    db: Database
    catalogs: Catalogs
    audit: AuditStore
    journal: AuditJournal
    conversations: ConversationStore
    members: MembershipService
    privacy: PrivacyService
    deliveries: DeliveryEngine
    group_chats: GroupChatStore
    codev: CodevService
    segments: Segments
    diagnostics: Diagnostics
    visio: VisioService
    newsletters: Newsletters
    faq: FaqService
    directory: DirectoryService
    projects: ProjectService
    retention: RetentionService
    stats: StatsService
    links: LinkService

    @property
    def addressing(self) -> LinkedAddressing:
        """Which member an incoming id acts as and where a send goes (linked accounts)."""
        return self.links.addressing

    @classmethod
    async def open(
        cls, settings: Settings, clock: Clock | None = None, sender: Sender | None = None
    ) -> Services:
        """Open the database, bring its schema up to date and wire the services.

        The delivery engine sends through ``sender`` (default: Telegram, opened by the
        runtime with ``deliveries.open()``).
        """
        clock = clock or SystemClock()
        db = await Database.open(settings.db_path)
        await migrate(db, clock)
        audit = AuditStore(db)
        members = MembershipService(MemberStore(db), audit, clock, settings.admins)
        catalogs = Catalogs()
        features = _Features.build(db, settings, clock, catalogs, audit, members, sender)
        checklist = load_checklist(settings.db_path)
        projects = ProjectService(db, clock, audit, checklist, features.diagnostics)
        links = LinkService(LinkStore(db), members, audit, clock)
        await links.load()
        sources = [members, audit, *features.personal_data_sources(), projects, links]
        return cls(
            settings=settings,
            clock=clock,
            db=db,
            catalogs=catalogs,
            audit=audit,
            journal=AuditJournal(audit, members, clock, settings.timezone),
            conversations=ConversationStore(db, clock),
            members=members,
            privacy=_privacy(db, clock, sources),
            deliveries=features.deliveries,
            group_chats=GroupChatStore(db),
            codev=features.codev,
            segments=features.segments,
            diagnostics=features.diagnostics,
            visio=features.visio,
            newsletters=features.newsletters,
            faq=features.faq,
            directory=features.directory,
            projects=projects,
            retention=RetentionService.on(db, clock, settings.retention_months, settings.timezone),
            stats=StatsService(db, clock, settings.timezone, settings.anonymity_threshold),
            links=links,
        )

    async def close(self) -> None:
        """Stop the sends under way, then close the database."""
        await self.deliveries.close()
        await self.db.close()

    def translator(self, language: str) -> Translator:
        """Messages and dates in ``language`` for the network's zone."""
        return Translator(self.catalogs, language, self.settings.timezone)


@dataclass(frozen=True)
class _Features:
    """The feature services, built over the members and their audit."""

    codev: CodevService
    segments: Segments
    diagnostics: Diagnostics
    visio: VisioService
    deliveries: DeliveryEngine
    newsletters: Newsletters
    faq: FaqService
    directory: DirectoryService

    @classmethod
    def build(
        cls,
        db: Database,
        settings: Settings,
        clock: Clock,
        catalogs: Catalogs,
        audit: AuditStore,
        members: MembershipService,
        sender: Sender | None,
    ) -> _Features:
        """Wire codev, segments, diagnostics, visio, deliveries, newsletters, FAQ, directory."""
        codev = CodevService(db, members, audit, GroupChatStore(db), clock, settings.timezone)
        segments = Segments(SegmentStore(db))
        diagnostics = _diagnostics(db, settings, clock, segments)
        visio = VisioService(db, clock, settings.timezone, segments, members)
        deliveries = _deliveries(db, settings, clock, members, sender)
        newsletters = Newsletters.build(
            db,
            settings,
            clock,
            catalogs,
            segments=segments,
            deliveries=deliveries,
            members=members,
            visio=visio,
            codev=codev,
        )
        faq = FaqService(db, clock)
        directory = DirectoryService(db, clock)
        return cls(codev, segments, diagnostics, visio, deliveries, newsletters, faq, directory)

    def personal_data_sources(self) -> list[PersonalDataSource]:
        """The features' personal data sources, in the order exports list them."""
        return [
            self.deliveries.preferences,
            self.visio,
            self.codev,
            self.diagnostics,
            self.newsletters,
            self.faq,
            self.directory,
        ]


def _diagnostics(db: Database, settings: Settings, clock: Clock, segments: Segments) -> Diagnostics:
    """Campaigns over the shipped questionnaires and the network's own, next to its database."""
    library = QuestionnaireLibrary.load(questionnaire_dirs(settings.db_path))
    zone, k = settings.timezone, settings.anonymity_threshold
    return Diagnostics(db, library, segments, clock, zone, k)


def _deliveries(
    db: Database,
    settings: Settings,
    clock: Clock,
    members: MembershipService,
    sender: Sender | None,
) -> DeliveryEngine:
    """The delivery engine, sending through ``sender`` or else Telegram at the set rate."""
    return DeliveryEngine(
        DeliveryStore(db),
        sender or TelegramSender(settings),
        members,
        clock,
        rate=settings.send_rate,
        zone=settings.timezone,
    )


def _privacy(db: Database, clock: Clock, sources: list[PersonalDataSource]) -> PrivacyService:
    """Export and erasure across every source, then of the sends quoting the person."""
    sends_of_person = SendsOfPerson(AuthoredSends(db), clock)
    return PrivacyService([*sources, sends_of_person], quotes=sends_of_person)
