"""Steps shared by the diagnostic end-to-end tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from bot.domain.diagnostic.model import Campaign, CampaignRequest
from bot.sandbox import SimUser
from schedules.diagnostic.jobs import launch_campaign
from tests.e2e.conftest import Network


async def open_campaign(
    network: Network, questionnaire: str, members: Sequence[SimUser], days: int, **fields: Any
) -> Campaign:
    """A campaign of ``questionnaire`` open from now for ``days``, its invitations delivered."""
    now = network.clock.now()
    campaign = await launch_campaign(
        network.runtime.application,
        CampaignRequest(
            questionnaire,
            now,
            now + timedelta(days=days),
            members=tuple(m.user_id for m in members),
            **fields,
        ),
    )
    await network.run_due()
    return campaign
