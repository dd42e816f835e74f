import pytest

from bot.clock import FrozenClock
from bot.domain.diagnostic.model import DiagnosticError
from bot.services import Services
from tests.unit.diagnostic.conftest import answer_satisfaction, launch


async def test_erasure_leaves_only_anonymous_counts(network: Services, clock: FrozenClock):
    campaign = await launch(network, clock, anonymous=False)
    for user_id in range(1, 7):
        await answer_satisfaction(network, campaign, user_id, 4, f"avis de {user_id}")
    exported = await network.privacy.export(1)
    mine = exported["diagnostic"]
    assert mine["invited_to"] == [campaign.id]
    assert mine["responses"][0]["answers"]["comment"]["text"] == "avis de 1"

    await network.privacy.erase(1)

    rows = await network.diagnostics.export_rows(campaign)
    assert sorted(row.name for row in rows) == [f"Membre {i}" for i in range(2, 7)]
    results = await network.diagnostics.results(campaign)
    overall, comment = results.questions
    assert results.respondents == 6 and overall.counts[3] == 6
    assert "avis de 1" not in comment.texts and len(comment.texts) == 5
    participation = await network.diagnostics.campaigns.participation(campaign.id)
    assert (participation.invited, participation.completed) == (6, 6)
    assert 1 not in (await network.diagnostics.campaigns.not_finished(campaign.id)).members
    assert await network.diagnostics.export_personal_data(1) == {
        "launched": [],
        "invited_to": [],
        "responses": [],
    }


async def test_an_animator_who_leaves_is_no_longer_named_as_author(network: Services, clock):
    campaign = await launch(network, clock, created_by=900)
    await network.diagnostics.campaigns.start_draft(900, "satisfaction")
    assert (await network.privacy.export(900))["diagnostic"]["launched"] == [campaign.id]
    await network.privacy.erase(900)
    assert (await network.diagnostics.campaigns.get(campaign.id)).created_by is None
    with pytest.raises(DiagnosticError, match="no_draft"):
        await network.diagnostics.campaigns.draft(900)
