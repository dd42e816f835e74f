"""Diagnostic questionnaires: the feature's services, its results and its personal data.

``Diagnostics`` wires the questionnaire library, the campaign life cycle
(``campaigns``), answering (``answering``) and reports; it is also the personal data
source of the feature (export, and erasure that keeps only anonymous counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.diagnostic.answering import AnsweringService
from bot.domain.diagnostic.campaigns import CampaignService
from bot.domain.diagnostic.model import Campaign, ExportRow
from bot.domain.diagnostic.questionnaire import BUILTIN_DIR, QuestionnaireLibrary
from bot.domain.diagnostic.results import Results, ThemeChange, compare, compute_results
from bot.domain.segment_members import Segments
from bot.storage.db import Database
from bot.storage.diagnostic.campaigns import CampaignStore
from bot.storage.diagnostic.responses import ResponseStore

NETWORK_DIR_NAME = "questionnaires"


def questionnaire_dirs(db_path: Path) -> list[Path]:
    """Where questionnaires are read: the shipped ones, then the network's own folder.

    The network's folder is ``questionnaires/`` next to the database file.
    """
    return [BUILTIN_DIR, db_path.resolve().parent / NETWORK_DIR_NAME]


@dataclass(frozen=True)
class Comparison:
    """An earlier wave, its results and the change per theme."""

    previous: Campaign
    results: Results
    changes: list[ThemeChange]


class Diagnostics:
    """The diagnostic feature's services."""

    name = "diagnostic"

    def __init__(
        self,
        db: Database,
        library: QuestionnaireLibrary,
        segments: Segments,
        clock: Clock,
        zone: ZoneInfo,
        threshold: int,
    ) -> None:
        self._campaign_store = CampaignStore(db)
        self._responses = ResponseStore(db)
        self.library = library
        self.campaigns = CampaignService(
            self._campaign_store, self._responses, library, segments, clock, zone, threshold
        )
        self.answering = AnsweringService(self._campaign_store, self._responses, clock)

    async def results(self, campaign: Campaign) -> Results:
        """The campaign's aggregates (hidden parts below its threshold)."""
        return compute_results(
            campaign.questionnaire,
            await self._responses.respondents(campaign.id),
            campaign.threshold,
            await self._responses.answer_counts(campaign.id),
            await self._responses.texts(campaign.id),
        )

    async def comparison(self, campaign: Campaign, results: Results) -> Comparison | None:
        """The earlier wave this campaign follows, compared theme by theme."""
        if campaign.previous_id is None:
            return None
        previous = await self.campaigns.find(campaign.previous_id)
        if previous is None:
            return None
        earlier = await self.results(previous)
        return Comparison(previous, earlier, compare(earlier, results))

    async def export_rows(self, campaign: Campaign) -> list[ExportRow]:
        """One row per response; names only for named campaigns."""
        return await self._responses.export_rows(campaign.id, named=not campaign.anonymous)

    async def export_personal_data(self, user_id: int) -> dict[str, Any]:
        """The campaigns the member launched or was invited to, and their own answers."""
        return {
            "launched": await self._campaign_store.launched_by(user_id),
            "invited_to": await self._campaign_store.invitations_of(user_id),
            "responses": await self._responses.personal_data(user_id),
        }

    async def erase_personal_data(self, user_id: int) -> None:
        """Unlink the member everywhere; free texts go, choices remain as anonymous counts."""
        await self._responses.erase_member(user_id)
