"""The monthly preparation: switched on by an animator, due on the 1st at 9:00 (Paris),
sent once, and after downtime only for the latest finished month."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import FrozenClock
from tests.e2e.conftest import Network
from tests.e2e.stats.test_stats import march_network

MAY_FIRST_9H_PARIS = datetime(2030, 5, 1, 7, 0, tzinfo=UTC)


async def prompts(network: Network) -> list[str]:
    """The monthly prompts among the jobs due now (run)."""
    return [job for job in await network.run_due() if job.startswith("stats_prompt")]


async def test_the_prompt_comes_each_month_once_and_catches_up_after_downtime(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    anne, members = await march_network(network, clock)
    assert await prompts(network) == []  # off by default: nothing is prepared
    await anne.send("/stats")
    await anne.expect("Choisissez un mois")
    await anne.tap("Me le proposer chaque mois")
    await anne.expect("le 1er de chaque mois à 9 h")

    clock.set(datetime(2030, 5, 1, 6, 59, tzinfo=UTC))
    assert await prompts(network) == []
    clock.set(MAY_FIRST_9H_PARIS)
    assert await prompts(network) == ["stats_prompt:2030-04"]
    prompt = await anne.expect("Bilan de avril 2030")
    assert "Aucune activité enregistrée ce mois-ci." in prompt["text"]
    assert await prompts(network) == []  # once only; May is due on 1 June
    await anne.expect_nothing()
    for member in members:
        await member.expect_nothing(within=0.05)  # the animators only are asked

    await network.stop()  # down from May to early July
    clock.set(datetime(2030, 7, 3, 8, 0, tzinfo=UTC))
    await network.start()
    assert await prompts(network) == ["stats_prompt:2030-06"]
    await anne.expect("Bilan de juin 2030")

    await anne.send("/stats")
    await anne.expect("Choisissez un mois")
    await anne.tap("Ne plus me le proposer chaque mois")
    await anne.expect("je ne vous proposerai plus le bilan")
    clock.set(datetime(2030, 8, 1, 8, 0, tzinfo=UTC))
    assert await prompts(network) == []
