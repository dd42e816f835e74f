from bot.sandbox import Sandbox, SimUser
from bot.sandbox.throughput import measure


async def test_measure_counts_every_accepted_send(
    sandbox: Sandbox, alice: SimUser, bob: SimUser
) -> None:
    result = await measure(sandbox.api_url, sandbox.token, [1001, 1002, 999], 30, 3)
    assert (result.sent, result.failed) == (20, 10)  # chat 999 does not exist
    assert result.per_second > 0
    assert sandbox.stats.messages_sent == 20
    assert len(alice.messages()) == 10
