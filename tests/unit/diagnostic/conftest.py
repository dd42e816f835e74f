"""A network of registered members and helpers to launch and answer campaigns."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.domain.diagnostic.answering import Move
from bot.domain.diagnostic.model import Campaign, CampaignRequest
from bot.domain.members import Role
from bot.seed import Profile, seed_member
from bot.services import Services

ANIMATOR = 900
MEMBERS = (1, 2, 3, 4, 5, 6)


@pytest.fixture
async def network(services: Services) -> Services:
    """An animator and six members in two territories."""
    await seed_member(
        services, ANIMATOR, Profile("Anne", "Réseau", "Drôme", "Animatrice"), role=Role.ANIMATOR
    )
    for user_id in MEMBERS:
        territory = "Drôme" if user_id <= 4 else "Ardèche"
        profile = Profile(f"Membre {user_id}", f"Maison {user_id}", territory, "Agent")
        await seed_member(services, user_id, profile)
    return services


async def launch(
    services: Services,
    clock: FrozenClock,
    questionnaire: str = "satisfaction",
    days: int = 1,
    **fields,
) -> Campaign:
    """A campaign opening now for ``days`` (explicit members unless a segment is given)."""
    now = clock.now()
    fields.setdefault("members", None if "segment" in fields else MEMBERS)
    request = CampaignRequest(questionnaire, now, now + timedelta(days=days), **fields)
    campaign = await services.diagnostics.campaigns.create(request)
    mailing = await services.diagnostics.campaigns.open(campaign.id)
    assert mailing is not None
    return mailing.campaign


async def answer_satisfaction(
    services: Services, campaign: Campaign, user_id: int, score: int, comment: str | None = None
) -> None:
    """A member answers the satisfaction questionnaire (score 1–5, then a comment or a skip)."""
    answering = services.diagnostics.answering
    await answering.begin(campaign.id, user_id)
    await answering.choose(campaign.id, user_id, 0, score - 1)
    if comment is None:
        await answering.move(campaign.id, user_id, 1, Move.SKIP)
    else:
        await answering.write(user_id, comment)
