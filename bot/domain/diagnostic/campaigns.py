"""Campaigns: launch, open, remind, close and publish, with the rules each step checks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.diagnostic.model import (
    Campaign,
    CampaignDraft,
    CampaignRequest,
    CampaignStatus,
    DiagnosticError,
    Participation,
    ReminderPlan,
    reminder_times,
)
from bot.domain.diagnostic.questionnaire import QuestionnaireLibrary
from bot.domain.segment_members import Segments
from bot.storage.diagnostic.campaigns import CampaignStore, NewCampaign
from bot.storage.diagnostic.responses import ResponseStore

RECENT_CAMPAIGNS = 10


@dataclass(frozen=True)
class Mailing:
    """A campaign and the members a message about it is for."""

    campaign: Campaign
    members: list[int]


class CampaignService:
    """The life of campaigns, from an animator's request to published results."""

    def __init__(
        self,
        store: CampaignStore,
        responses: ResponseStore,
        library: QuestionnaireLibrary,
        segments: Segments,
        clock: Clock,
        zone: ZoneInfo,
        threshold: int,
    ) -> None:
        self._threshold = threshold
        self._store = store
        self._responses = responses
        self.library = library
        self._segments = segments
        self._clock = clock
        self._zone = zone

    # -- launching ----------------------------------------------------------------------------

    async def create(self, request: CampaignRequest) -> Campaign:
        """Validate and store a campaign; it opens (and invites) at ``opens_at``.

        Refusals (DiagnosticError codes): ``unknown_questionnaire``, ``closes_before_opens``,
        ``closes_in_past``, ``unknown_previous``, ``previous_mismatch``, ``no_members``,
        ``bad_threshold``.
        """
        questionnaire = self.library.get(request.questionnaire_id)
        if questionnaire is None:
            raise DiagnosticError("unknown_questionnaire", id=request.questionnaire_id)
        if request.closes_at <= request.opens_at:
            raise DiagnosticError("closes_before_opens")
        if request.closes_at <= self._clock.now():
            raise DiagnosticError("closes_in_past")
        if request.members is not None and not request.members:
            raise DiagnosticError("no_members")
        threshold = self._threshold if request.threshold is None else request.threshold
        if threshold < 1:
            raise DiagnosticError("bad_threshold")
        wave = 1
        if request.previous_id is not None:
            previous = await self._store.get(request.previous_id)
            if previous is None:
                raise DiagnosticError("unknown_previous")
            if previous.questionnaire.id != questionnaire.id:
                raise DiagnosticError("previous_mismatch")
            wave = previous.wave + 1
        campaign_id = await self._store.create(
            NewCampaign(
                questionnaire_id=questionnaire.id,
                definition=questionnaire.source,
                segment=None if request.members is not None else request.segment,
                members=request.members or (),
                anonymous=request.anonymous,
                opens_at=request.opens_at,
                closes_at=request.closes_at,
                reminder_plan=request.reminders,
                reminders=reminder_times(
                    request.reminders, request.opens_at, request.closes_at, self._zone
                ),
                previous_id=request.previous_id,
                wave=wave,
                threshold=threshold,
                created_by=request.created_by,
            ),
            self._clock.now(),
        )
        created = await self._store.get(campaign_id)
        assert created is not None
        return created

    async def open(self, campaign_id: int) -> Mailing | None:
        """Open the campaign if its time has come; the audience to invite, None if nothing to do.

        An open campaign whose invitation was never written (a crash) is returned again.
        """
        campaign = await self._store.get(campaign_id)
        now = self._clock.now()
        if campaign is None or campaign.invitation_send is not None or now >= campaign.closes_at:
            return None
        if campaign.status is CampaignStatus.SCHEDULED:
            members = []
            if campaign.segment is not None:
                members = await self._segments.member_ids(campaign.segment)
            if not await self._store.open(campaign_id, members, now):
                return None
            campaign = replace(campaign, status=CampaignStatus.OPEN)
        if campaign.status is not CampaignStatus.OPEN:
            return None
        return Mailing(campaign, await self._store.audience(campaign_id))

    async def invited(self, campaign_id: int, send_id: int) -> None:
        """Record the send that carries the invitations."""
        await self._store.set_invitation(campaign_id, send_id)

    async def close(self, campaign_id: int) -> Campaign | None:
        """Close the campaign if its closing time has come; the closed campaign, or None."""
        if not await self._store.close(campaign_id, self._clock.now()):
            return None
        return await self._store.get(campaign_id)

    async def reminder_due(self, reminder_id: int) -> Mailing | None:
        """Claim a due reminder; who it is for (members who have not finished), or None.

        A reminder superseded by a later one also due (downtime) is claimed but not sent.
        """
        claimed = await self._store.claim_reminder(reminder_id, self._clock.now())
        if claimed is None or claimed[1]:
            return None
        campaign = await self._store.get(claimed[0])
        if campaign is None or not campaign.accepts_answers(self._clock.now()):
            return None
        return Mailing(campaign, await self._store.not_finished(campaign.id))

    async def reminder_sent(self, reminder_id: int, send_id: int) -> None:
        """Record the send that carried a reminder."""
        await self._store.set_reminder_send(reminder_id, send_id)

    async def publish(self, campaign_id: int) -> Mailing:
        """Publish a closed campaign's results; the members who took part, to be told.

        Refusals: ``unknown_campaign``, ``not_closed``, ``already_published``,
        ``below_threshold`` (with ``missing``).
        """
        campaign = await self.get(campaign_id)
        if campaign.status is not CampaignStatus.CLOSED:
            raise DiagnosticError("not_closed")
        respondents = await self._responses.respondents(campaign_id)
        if respondents < campaign.threshold:
            raise DiagnosticError("below_threshold", missing=campaign.threshold - respondents)
        if not await self._store.publish(campaign_id, self._clock.now()):
            raise DiagnosticError("already_published")
        published = await self.get(campaign_id)
        return Mailing(published, await self._responses.participants(campaign_id))

    # -- reading ------------------------------------------------------------------------------

    async def get(self, campaign_id: int) -> Campaign:
        """The campaign, or DiagnosticError ``unknown_campaign``."""
        campaign = await self._store.get(campaign_id)
        if campaign is None:
            raise DiagnosticError("unknown_campaign")
        return campaign

    async def find(self, campaign_id: int) -> Campaign | None:
        """The campaign, if it exists."""
        return await self._store.get(campaign_id)

    async def recent(self) -> list[Campaign]:
        """The latest campaigns, newest first."""
        return await self._store.recent(RECENT_CAMPAIGNS)

    async def earlier_waves(self, questionnaire_id: str) -> list[Campaign]:
        """Campaigns of the same questionnaire a new wave may be compared with."""
        return await self._store.of_questionnaire(questionnaire_id, RECENT_CAMPAIGNS)

    async def participation(self, campaign_id: int) -> Participation:
        """Invited, finished and in-progress counts, live."""
        return await self._store.participation(campaign_id)

    async def not_finished(self, campaign_id: int) -> Mailing:
        """The members who have not finished, to remind them."""
        campaign = await self.get(campaign_id)
        if not campaign.accepts_answers(self._clock.now()):
            raise DiagnosticError("not_open")
        return Mailing(campaign, await self._store.not_finished(campaign_id))

    async def not_finished_names(self, campaign_id: int) -> list[str]:
        """Names of those who have not finished: named campaigns only (``anonymous`` refusal)."""
        campaign = await self.get(campaign_id)
        if campaign.anonymous:
            raise DiagnosticError("anonymous")
        return await self._store.not_finished_names(campaign_id)

    async def reminders(self, campaign_id: int) -> list[tuple[datetime, bool]]:
        """The planned reminders and whether each went out."""
        return await self._store.reminders(campaign_id)

    async def open_for(self, user_id: int) -> list[Campaign]:
        """Open campaigns the member is invited to."""
        return await self._store.open_for_member(user_id, self._clock.now())

    async def published_for(self, user_id: int) -> list[Campaign]:
        """Published campaigns the member took part in."""
        return await self._store.published_for_member(user_id, RECENT_CAMPAIGNS)

    async def due_openings(self) -> list[tuple[int, datetime]]:
        """Campaigns to open (or to invite again after a crash), with when."""
        return await self._store.due_openings()

    async def due_closings(self) -> list[tuple[int, datetime]]:
        """Campaigns to close, with when."""
        return await self._store.due_closings()

    async def due_reminders(self) -> list[tuple[int, datetime]]:
        """Reminders to send, with when."""
        return await self._store.due_reminders()

    # -- drafts (the /diagnostic launch steps) ------------------------------------------------

    async def start_draft(self, user_id: int, questionnaire_id: str) -> CampaignDraft:
        """Begin setting up a campaign of ``questionnaire_id``."""
        if self.library.get(questionnaire_id) is None:
            raise DiagnosticError("unknown_questionnaire", id=questionnaire_id)
        draft = CampaignDraft(user_id, questionnaire_id)
        await self._store.save_draft(draft, self._clock.now())
        return draft

    async def draft(self, user_id: int) -> CampaignDraft:
        """The animator's draft, or DiagnosticError ``no_draft``."""
        draft = await self._store.draft(user_id)
        if draft is None:
            raise DiagnosticError("no_draft")
        return draft

    async def update_draft(self, user_id: int, **changes: Any) -> CampaignDraft:
        """Set some fields of the draft; a closing time must follow the opening time."""
        draft = replace(await self.draft(user_id), **changes)
        if draft.previous_id is not None:
            previous = await self._store.get(draft.previous_id)
            if previous is None or previous.questionnaire.id != draft.questionnaire_id:
                raise DiagnosticError("previous_mismatch")
        if draft.opens_at and draft.closes_at and draft.closes_at <= draft.opens_at:
            raise DiagnosticError("closes_before_opens")
        await self._store.save_draft(draft, self._clock.now())
        return draft

    async def launch_draft(self, user_id: int) -> Campaign:
        """Create the campaign the draft describes, then forget the draft."""
        draft = await self.draft(user_id)
        if (
            draft.segment is None
            or draft.anonymous is None
            or draft.opens_at is None
            or draft.closes_at is None
        ):
            raise DiagnosticError("draft_incomplete")
        campaign = await self.create(
            CampaignRequest(
                questionnaire_id=draft.questionnaire_id,
                opens_at=max(draft.opens_at, self._clock.now()),
                closes_at=draft.closes_at,
                anonymous=draft.anonymous,
                segment=draft.segment,
                reminders=draft.reminder_plan or ReminderPlan.NONE,
                previous_id=draft.previous_id,
                created_by=user_id,
            )
        )
        await self._store.drop_draft(user_id)
        return campaign

    async def drop_draft(self, user_id: int) -> None:
        """Abandon the draft."""
        await self._store.drop_draft(user_id)
