"""Phase 1 → 2 → 3: project ideas from a diagnosis' weakest themes, and the impact wave.

The impact wave is the same questionnaire launched again to the same segment as a new wave
of the baseline campaign (the diagnostic feature compares waves by theme); its report puts
each theme's change next to the projects carried in between, those seeded on that theme
first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.domain.diagnostic.model import Campaign, CampaignRequest, CampaignStatus
from bot.domain.diagnostic.questionnaire import Theme
from bot.domain.diagnostic.results import ThemeChange, ThemeScore
from bot.domain.diagnostic.service import Diagnostics
from bot.domain.projects.model import Project, ProjectError
from bot.storage.projects import ProjectStore

IDEAS = 3
"""How many of the weakest themes are offered as project ideas."""
IMPACT_DAYS = 14
"""How long the impact wave stays open."""


@dataclass(frozen=True)
class Ideas:
    """A closed campaign and its weakest themes (lowest mean first)."""

    campaign: Campaign
    themes: tuple[ThemeScore, ...]


@dataclass(frozen=True)
class ImpactReport:
    """Two waves compared by theme, and the projects carried between them."""

    before: Campaign
    after: Campaign
    changes: tuple[ThemeChange, ...]
    by_theme: dict[str, tuple[Project, ...]]
    others: tuple[Project, ...]


class Impact:
    """Ideas from the diagnosis, launching the impact wave, and its report."""

    def __init__(self, diagnostics: Diagnostics, store: ProjectStore, clock: Clock) -> None:
        self._diagnostics = diagnostics
        self._store = store
        self._clock = clock

    async def baseline(self) -> Campaign | None:
        """The latest closed campaign sent to a segment (a diagnosis, not a feedback form)."""
        for campaign in await self._diagnostics.campaigns.recent():
            if campaign.status is CampaignStatus.CLOSED and campaign.segment is not None:
                return campaign
        return None

    async def ideas(self) -> Ideas | None:
        """The baseline's weakest themes, once its results are visible."""
        campaign = await self.baseline()
        if campaign is None:
            return None
        results = await self._diagnostics.results(campaign)
        scored = [s for s in results.themes if s.mean is not None] if results.visible else []
        weakest = sorted(scored, key=lambda s: s.mean or 0.0)[:IDEAS]
        return Ideas(campaign, tuple(weakest)) if weakest else None

    async def idea(self, campaign_id: int, theme_id: str) -> Theme | None:
        """A theme of a closed campaign to seed a project on (None: not on offer)."""
        campaign = await self._diagnostics.campaigns.find(campaign_id)
        if campaign is None or campaign.status is not CampaignStatus.CLOSED:
            return None
        return next((t for t in campaign.questionnaire.themes if t.id == theme_id), None)

    async def follow_up(self, campaign: Campaign) -> Campaign | None:
        """The wave launched after ``campaign``, if any."""
        waves = await self._diagnostics.campaigns.earlier_waves(campaign.questionnaire.id)
        return next((w for w in waves if w.previous_id == campaign.id), None)

    async def wave_request(self, baseline_id: int, animator_id: int) -> CampaignRequest:
        """The impact wave of the baseline: same questionnaire, segment, anonymity, threshold."""
        baseline = await self.baseline()
        if baseline is None or baseline.id != baseline_id:
            raise ProjectError("moved_on")
        if await self.follow_up(baseline) is not None:
            raise ProjectError("wave_exists")
        assert baseline.segment is not None
        now = self._clock.now()
        return CampaignRequest(
            baseline.questionnaire.id,
            now,
            now + timedelta(days=IMPACT_DAYS),
            anonymous=baseline.anonymous,
            segment=baseline.segment,
            reminders=baseline.reminder_plan,
            previous_id=baseline.id,
            created_by=animator_id,
            threshold=baseline.threshold,
        )

    async def carried_between(self, before: Campaign, after: Campaign) -> list[Project]:
        """The projects carried between two waves (news after the first opened)."""
        return await self._store.carried_between(before.opens_at, after.closes_at)

    async def report(self) -> ImpactReport | None:
        """The latest closed wave that follows another, compared, with the projects between."""
        for after in await self._diagnostics.campaigns.recent():
            if after.previous_id is None or after.status is not CampaignStatus.CLOSED:
                continue
            results = await self._diagnostics.results(after)
            comparison = await self._diagnostics.comparison(after, results)
            if comparison is None:
                continue
            before = comparison.previous
            carried = await self.carried_between(before, after)
            by_theme: dict[str, list[Project]] = {}
            others: list[Project] = []
            for project in carried:
                seeded = project.idea_campaign == before.id and project.idea_theme
                (by_theme.setdefault(project.idea_theme, []) if seeded else others).append(project)
            themes = {k: tuple(v) for k, v in by_theme.items()}
            return ImpactReport(before, after, tuple(comparison.changes), themes, tuple(others))
        return None
