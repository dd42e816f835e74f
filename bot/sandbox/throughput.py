"""How many sendMessage calls per second the sandbox absorbs (``python -m bot.sandbox.throughput``).

Starts a standalone sandbox (limits off) in a child process, creates members, then posts
``sendMessage`` form requests from an httpx client in this process, like the delivery
benchmark does, and prints the rate.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass

import httpx

from bot.sandbox.client import SandboxClient

_CHILD = (
    "import asyncio\n"
    "from bot.sandbox import RateLimits, serve\n"
    "asyncio.run(serve(port=0, rate_limits=RateLimits.off(),"
    " announce=lambda line: print(line, flush=True)))\n"
)


@dataclass(frozen=True, slots=True)
class Result:
    """Outcome of one measurement."""

    sent: int
    failed: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Successful sendMessage calls per second."""
        return self.sent / self.seconds if self.seconds else 0.0


async def measure(
    api_url: str, token: str, chat_ids: list[int], total: int, concurrency: int
) -> Result:
    """Post ``total`` sendMessage requests over ``concurrency`` connections."""
    url = f"{api_url}{token}/sendMessage"
    counter = iter(range(total))
    sent = failed = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(http: httpx.AsyncClient) -> None:
        nonlocal sent, failed
        for number in counter:
            data = {
                "chat_id": str(chat_ids[number % len(chat_ids)]),
                "text": f"<b>Lettre</b> n° {number} : réunion du réseau jeudi à 14 h.",
                "parse_mode": "HTML",
            }
            response = await http.post(url, data=data)
            if response.status_code == 200:
                sent += 1
            else:
                failed += 1

    async with httpx.AsyncClient(limits=limits, timeout=30.0) as http:
        start = time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        seconds = time.perf_counter() - start
    return Result(sent, failed, seconds)


async def run(total: int, concurrency: int, members: int) -> Result:
    """Measure against a sandbox running in a child process."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _CHILD, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        line = (await child.stdout.readline()).decode()
        fields = dict(part.split("=", 1) for part in line.split()[2:])
        async with SandboxClient(fields["control"]) as client:
            token = (await client.info())["token"]
            ids = list(range(10_000, 10_000 + members))
            for user_id in ids:
                await client.add_user(user_id, f"Membre {user_id}", started=True)
        await measure(fields["api"], token, ids, min(total, 500), concurrency)  # warm-up
        return await measure(fields["api"], token, ids, total, concurrency)
    finally:
        child.kill()
        await child.wait()


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--total", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--members", type=int, default=500)
    args = parser.parse_args()
    result = asyncio.run(run(args.total, args.concurrency, args.members))
    print(
        f"sendMessage absorbed: {result.per_second:.0f}/s "
        f"({result.sent} ok, {result.failed} failed in {result.seconds:.2f} s, "
        f"{args.concurrency} connections)"
    )


if __name__ == "__main__":
    main()
