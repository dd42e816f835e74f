import asyncio
from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.domain.diagnostic.answering import Move
from bot.domain.diagnostic.model import Answer, CampaignRequest, DiagnosticError
from bot.services import Services
from tests.unit.diagnostic.conftest import launch


async def test_begin_then_resume_where_the_member_stopped(network: Services, clock) -> None:
    campaign = await launch(network, clock, "network_diagnosis")
    answering = network.diagnostics.answering
    step, started = await answering.begin(campaign.id, 1)
    assert started and step.response.position == 0 and step.question.id == "purpose_clear"
    step = await answering.choose(campaign.id, 1, 0, 3)
    step = await answering.choose(campaign.id, 1, 1, 4)
    assert step.response.position == 2
    assert step.response.answers["purpose_clear"] == Answer(("4",))
    resumed, started = await answering.begin(campaign.id, 1)
    assert not started and resumed.response.position == 2
    assert resumed.question.id == "missions_fit"


async def test_an_old_question_or_a_second_racing_tap_changes_nothing(
    network: Services, clock: FrozenClock
) -> None:
    campaign = await launch(network, clock, "network_diagnosis")
    answering = network.diagnostics.answering
    await answering.begin(campaign.id, 1)
    first, second = await asyncio.gather(
        answering.choose(campaign.id, 1, 0, 1),
        answering.choose(campaign.id, 1, 0, 4),
        return_exceptions=True,
    )
    outcomes = [first, second]
    refused = [o for o in outcomes if isinstance(o, DiagnosticError)]
    assert len(refused) == 1 and refused[0].code == "expired"
    step, _ = await answering.begin(campaign.id, 1)
    assert step.response.position == 1
    assert step.response.answers == {"purpose_clear": Answer(("2",))}
    with pytest.raises(DiagnosticError, match="expired"):
        await answering.choose(campaign.id, 1, 0, 0)  # the first question's message, later
    with pytest.raises(DiagnosticError, match="expired"):
        await answering.choose(campaign.id, 1, 1, 7)  # no such option


async def test_skip_keeps_the_answer_back_returns_and_dont_know_is_stored(
    network: Services, clock: FrozenClock
) -> None:
    campaign = await launch(network, clock, "network_diagnosis")
    answering = network.diagnostics.answering
    await answering.begin(campaign.id, 1)
    await answering.choose(campaign.id, 1, 0, 2)
    step = await answering.move(campaign.id, 1, 1, Move.BACK)
    assert step.response.position == 0 and step.answer == Answer(("3",))
    step = await answering.move(campaign.id, 1, 0, Move.SKIP)
    assert step.response.position == 1 and step.response.answers["purpose_clear"] == Answer(("3",))
    step = await answering.move(campaign.id, 1, 1, Move.DONT_KNOW)
    assert step.response.answers["missions_shared"] == Answer(dont_know=True)
    with pytest.raises(DiagnosticError, match="expired"):
        await answering.move(campaign.id, 1, 0, Move.BACK)  # stale position


async def test_multiple_choice_toggles_up_to_its_maximum(network: Services, clock) -> None:
    campaign = await launch(network, clock, "network_diagnosis")
    answering = network.diagnostics.answering
    await answering.begin(campaign.id, 1)
    tools = next(i for i, q in enumerate(campaign.questionnaire.questions) if q.id == "tools_used")
    for position in range(tools):
        await answering.move(campaign.id, 1, position, Move.SKIP)
    for option in (2, 0, 5):
        step = await answering.toggle(campaign.id, 1, tools, option)
    assert step.answer == Answer(("email", "video", "phone"))
    with pytest.raises(DiagnosticError) as too_many:
        await answering.toggle(campaign.id, 1, tools, 1)
    assert too_many.value.details == {"limit": 3}
    step = await answering.toggle(campaign.id, 1, tools, 0)
    assert step.answer == Answer(("video", "phone")) and step.response.position == tools
    # A button says what it asks for: an option pressed again on a question not redrawn
    # (a crash between the answer and the redraw) keeps its state.
    step = await answering.toggle(campaign.id, 1, tools, 2, tick=True)
    assert step.answer == Answer(("video", "phone"))
    assert (await answering.toggle(campaign.id, 1, tools, 0, tick=False)).answer == step.answer
    step = await answering.move(campaign.id, 1, tools, Move.CONFIRM)
    assert step.response.position == tools + 1


async def test_finishing_then_changing_one_answer_returns_to_the_summary(
    network: Services, clock: FrozenClock
) -> None:
    campaign = await launch(network, clock)
    answering = network.diagnostics.answering
    await answering.begin(campaign.id, 1)
    await answering.choose(campaign.id, 1, 0, 1)
    step = await answering.write(1, "  Très utile, merci.  ")
    assert step.response.completed and step.question is None
    assert step.response.answers["comment"] == Answer(text="Très utile, merci.")
    step = await answering.revisit(campaign.id, 1, 0)
    assert step.question.id == "overall" and step.answer == Answer(("2",))
    step = await answering.choose(campaign.id, 1, 0, 4)
    assert step.question is None and step.response.answers["overall"] == Answer(("5",))
    with pytest.raises(DiagnosticError, match="expired"):
        await answering.revisit(campaign.id, 1, 9)


async def test_free_text_over_the_limit_is_refused_and_nothing_stored(
    network: Services, clock: FrozenClock
) -> None:
    campaign = await launch(network, clock)
    answering = network.diagnostics.answering
    await answering.begin(campaign.id, 1)
    with pytest.raises(DiagnosticError, match="not_text"):
        await answering.write(1, "bonjour")
    await answering.choose(campaign.id, 1, 0, 3)
    with pytest.raises(DiagnosticError) as too_long:
        await answering.write(1, "x" * 501)
    assert too_long.value.details == {"limit": 500, "length": 501}
    with pytest.raises(DiagnosticError, match="empty"):
        await answering.write(1, "   ")
    step, _ = await answering.begin(campaign.id, 1)
    assert "comment" not in step.response.answers and step.response.position == 1
    assert (await answering.write(1, "x" * 500)).response.completed


async def test_closed_not_open_and_not_invited_are_refused(network: Services, clock) -> None:
    campaign = await launch(network, clock, members=(1, 2))
    answering = network.diagnostics.answering
    with pytest.raises(DiagnosticError, match="not_invited"):
        await answering.begin(campaign.id, 3)
    await answering.begin(campaign.id, 1)
    clock.set(campaign.closes_at)
    with pytest.raises(DiagnosticError) as closed:
        await answering.choose(campaign.id, 1, 0, 0)
    assert closed.value.code == "closed"
    assert await answering.current(1) is None
    with pytest.raises(DiagnosticError, match="no_question"):
        await answering.write(1, "trop tard")
    later = clock.now() + timedelta(days=1)
    scheduled = await network.diagnostics.campaigns.create(
        CampaignRequest("satisfaction", later, later + timedelta(days=1), members=(1,))
    )
    with pytest.raises(DiagnosticError, match="not_open"):
        await answering.begin(scheduled.id, 1)
