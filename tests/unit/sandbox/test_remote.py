"""Driving a sandbox through its HTTP control API, as tests of another process do."""

import asyncio
import sys

import pytest

from bot.sandbox import RateLimits, Sandbox, SandboxClient, SandboxError
from tests.unit.sandbox.echo_bot import running_echo_bot


@pytest.fixture
async def client(sandbox: Sandbox):
    async with SandboxClient(sandbox.control_url) as remote:
        yield remote


async def test_remote_user_has_the_same_vocabulary(sandbox: Sandbox, client: SandboxClient) -> None:
    async with running_echo_bot(sandbox):
        alice = await client.add_user(2001, "Alice", username="alice")
        await alice.send("/start")
        welcome = await alice.expect("Bienvenue Alice", timeout=3)
        assert alice.buttons() == [["Oui", "Non"]]
        await alice.tap("Oui")
        assert await alice.expect("Choix : yes", timeout=3) == {
            "toast": "Choix : yes",
            "show_alert": False,
        }
        edited = await alice.expect("Vous avez choisi yes", timeout=3)
        assert edited["message_id"] == welcome["message_id"]
        await alice.tap("Non", message_id=welcome["message_id"])  # stale buttons stay tappable
        await alice.expect("Choix : no", timeout=3)
        await alice.send("doc")
        document = await alice.expect_document(timeout=3)
        assert (document.filename, document.data) == ("rapport.txt", b"rapport")
        await alice.send_sticker()
        await alice.expect("Joli autocollant", timeout=3)
        await alice.expect_nothing(within=0.1)
        assert alice.toasts == ["Choix : yes", "Choix : no"]
        assert alice.transcript()[0] == "[1] Alice #1: /start"


async def test_remote_block_groups_requests_and_settings(
    sandbox: Sandbox, client: SandboxClient
) -> None:
    bob = await client.add_user(2002, "Bob", started=True)
    await bob.block()
    assert (await client.users())[0]["blocked"] is True
    await bob.unblock()
    group = await client.add_group("Réseau", [bob])
    await bob.send_in(group, "/aide")
    assert [e["kind"] for e in await client.events(group.chat_id, 0)] == ["message"]
    await client.set_rate_limits(RateLimits(global_per_second=5))
    assert (await client.rate_limits()).global_per_second == 5
    assert sandbox.rate_limits.global_per_second == 5
    assert (await client.stats())["requests"] == 0
    assert await client.requests() == []
    info = await client.info()
    assert info["api_url"] == sandbox.api_url
    with pytest.raises(SandboxError, match="unknown user 9999"):
        await client.act(9999, "send", text="x")
    with pytest.raises(SandboxError, match="unknown action"):
        await client.act(2002, "dance")
    with pytest.raises(SandboxError, match="unknown poll"):
        await bob.answer_poll("42", [0])


async def test_serve_runs_standalone_in_another_process() -> None:
    code = (
        "import asyncio\n"
        "from bot.sandbox import serve\n"
        "asyncio.run(serve(port=0, announce=lambda line: print(line, flush=True)))\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        assert line.startswith("sandbox ready: api=http://127.0.0.1:")
        control_url = line.split("control=")[1].strip()
        async with SandboxClient(control_url) as remote:
            carol = await remote.add_user(3001, "Carol")
            sent = await carol.send("bonjour")
            assert sent["text"] == "bonjour"
    finally:
        process.kill()
        await process.wait()
