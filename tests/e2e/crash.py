"""Crash tests with real processes: `maillage sandbox`, and `maillage run` killed with SIGKILL.

Sandboxes run as their own processes for a whole test module (they keep every chat across
the bot's deaths, like Telegram); each run seeds a database with the project's services
in-process, closes it, then starts ``python -m bot run`` on it, drives simulated members
over the sandbox's control API (:class:`~bot.sandbox.SandboxClient`), kills the bot with
``kill -9`` at a chosen moment, restarts it on the same file and lets the member go on.

Kill points (:class:`KillPoint`), applied to one member action (a tap or a typed message):

* ``at_send``: 0-10 ms after the sandbox queued the action (the bot may not have read it,
  may have read it without confirming it, or may have handled it);
* ``on_commit``: as soon as the action's durable write shows in the database, polled in a
  tight loop from this process (the reply is usually not out yet);
* ``after_reply``: once the bot's reply reached the member.

``MAILLAGE_CRASH_RUNS`` runs per scenario (default 3, one per kill point; run ``i`` uses
kill point ``i % 3``). The runs go at once, ``MAILLAGE_CRASH_PARALLEL`` (default 18) at a
time: one sandbox process per run going (a sandbox is one bot token, one update queue),
each run with its own bot process, database and members. Members act at a person's pace
(:class:`PacedUser`): the bot ignores a chat's messages and presses beyond one a second.
``MAILLAGE_CRASH_REPORT=<file>`` appends one JSON line per run (its lost/doubled counts).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from bot.clock import Clock
from bot.config import Settings
from bot.sandbox import SandboxClient
from bot.sandbox.chatlog import Event
from bot.sandbox.client import RemoteUser
from bot.sandbox.world import RecordedRequest
from bot.services import Services
from tests.conformance import check_requests, load_spec
from tests.conftest import TEST_TOKEN, register

REPO = Path(__file__).resolve().parents[2]
NETWORK_NAME = "Réseau France Services Drôme"
READY = "maillage is running"
_user_ids = itertools.count(70_001)


Job = TypeVar("Job")


class KillPoint(StrEnum):
    """When the bot dies, relative to one member action."""

    AT_SEND = "at_send"
    ON_COMMIT = "on_commit"
    AFTER_REPLY = "after_reply"


class PacedUser(RemoteUser):
    """A member of the sandbox process who acts at most once a second, like a person.

    The bot takes in about one message or press a second per chat (``FloodLimit``) and
    answers faster ones with « Doucement »; the crash tests are about kills, not floods.
    """

    interval = 1.0

    def __init__(self, client: SandboxClient, user_id: int, name: str) -> None:
        super().__init__(client, user_id, name)
        self._last = 0.0

    async def _act(self, action: str, **payload: Any) -> dict[str, Any]:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last = time.monotonic()
        return await super()._act(action, **payload)

    @classmethod
    async def add(cls, client: SandboxClient, name: str, user_id: int | None = None) -> PacedUser:
        """A new member of the sandbox whose chat with the bot is open."""
        created = await client.add_user(user_id or next_user_id(), name, started=True)
        return cls(client, created.user_id, name)


def crash_runs(default: int = 3) -> int:
    """How many runs each scenario makes (``MAILLAGE_CRASH_RUNS``)."""
    return max(1, int(os.environ.get("MAILLAGE_CRASH_RUNS", default)))


def kill_points(runs: int | None = None) -> list[KillPoint]:
    """One kill point per run, cycling through the three."""
    points = list(KillPoint)
    return [points[i % len(points)] for i in range(runs or crash_runs())]


def parallel_runs(jobs: int) -> int:
    """How many runs go at once (``MAILLAGE_CRASH_PARALLEL``, default 18), one sandbox each."""
    return max(1, min(jobs, int(os.environ.get("MAILLAGE_CRASH_PARALLEL", "18"))))


@dataclass
class Lane:
    """One sandbox process and a client of its control API: one run at a time uses it.

    A sandbox is one bot token, hence one update queue: two bot processes polling it would
    take each other's updates (409), so concurrent runs need a sandbox each.
    """

    sandbox: SandboxProcess
    client: SandboxClient
    bots: list[BotProcess] = field(default_factory=list)


async def run_all(
    sandboxes: list[SandboxProcess],
    jobs: list[Job],
    one: Callable[[Lane, Job], Awaitable[None]],
) -> None:
    """Run ``one(lane, job)`` for every job, one job per sandbox at a time; every failure
    is raised (an ExceptionGroup, each noted with its job)."""
    free: asyncio.Queue[Lane] = asyncio.Queue()
    for sandbox in sandboxes:
        free.put_nowait(Lane(sandbox, SandboxClient(sandbox.control_url)))

    async def leased(job: Job) -> None:
        lane = await free.get()
        try:
            await one(lane, job)
        except Exception as error:
            error.add_note(f"crash run: {job}")
            raise
        finally:
            for bot in lane.bots:  # a run that failed may leave its bot polling the sandbox
                await bot.stop()
            lane.bots.clear()
            free.put_nowait(lane)

    try:
        results = await asyncio.gather(*(leased(job) for job in jobs), return_exceptions=True)
    finally:
        while not free.empty():
            await free.get_nowait().client.close()
    failures = [r for r in results if isinstance(r, Exception)]
    if failures:
        raise ExceptionGroup(f"{len(failures)} of {len(jobs)} crash runs failed", failures)


def next_user_id() -> int:
    """A Telegram user id never used in this sandbox process."""
    return next(_user_ids)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SandboxProcess:
    """``python -m bot sandbox`` in its own process, without flood limits (crashes, not 429)."""

    port: int
    process: subprocess.Popen[bytes]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def control_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/_sandbox"

    @classmethod
    def spawn(cls) -> SandboxProcess:
        """Start the process (see :meth:`wait_ready`)."""
        port = _free_port()
        command = ["sandbox", "--port", str(port), "--no-rate-limits", "--token", TEST_TOKEN]
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", *command],
            cwd=REPO,
            env={**os.environ, "MAILLAGE_BOT_TOKEN": TEST_TOKEN},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        return cls(port, process)

    def wait_ready(self) -> None:
        """Block until the sandbox announces itself."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode()
        if "sandbox ready" not in line:
            self.process.kill()
            raise RuntimeError(f"the sandbox did not start: {line!r}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def sandbox_processes(count: int) -> Iterator[list[SandboxProcess]]:
    """``count`` sandbox processes for the duration of the block."""
    started: list[SandboxProcess] = []
    try:
        for _ in range(count):
            started.append(SandboxProcess.spawn())
        for sandbox in started:  # they start together
            sandbox.wait_ready()
        yield started
    finally:
        for sandbox in started:
            sandbox.stop()


class BotSubprocess:
    """``python -m bot run`` as a real process, one log per start; started, killed, stopped.

    A harness says what the process reads (:meth:`_env`) and how it is run
    (:meth:`_arguments`, e.g. ``--transport matrix``).
    """

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self.kills = 0

    def _env(self) -> dict[str, str]:
        raise NotImplementedError

    def _arguments(self) -> list[str]:
        return []

    def log_path(self, start: int | None = None) -> Path:
        """The log of one start (the current one by default)."""
        return self.log_dir / f"bot-{start or self.starts}.log"

    async def start(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Start the bot and wait until it polls."""
        assert self.process is None or self.process.returncode is not None
        self.starts += 1
        with self.log_path().open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                *self._arguments(),
                cwd=REPO,
                env=self._env(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + timeout
        while READY not in self.log():
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise AssertionError(f"the bot did not start:\n{self.log()}")
            await asyncio.sleep(0.02)

    def log(self) -> str:
        """What the current (or last) bot process logged."""
        return self.log_path().read_text(errors="replace") if self.starts else ""

    def logs(self) -> str:
        """What every bot process of this scenario logged."""
        return "\n".join(
            f"--- bot-{n}.log ---\n" + self.log_path(n).read_text(errors="replace")
            for n in range(1, self.starts + 1)
        )

    async def kill(self) -> None:
        """``kill -9``: no clean-up, no final persistence flush, no last getUpdates."""
        assert self.process is not None and self.process.returncode is None
        os.kill(self.process.pid, signal.SIGKILL)
        await self.process.wait()
        self.kills += 1

    async def restart(self) -> None:
        """Start again on the same database."""
        await self.start()

    async def stop(self) -> None:
        """SIGTERM (clean stop), or SIGKILL if it does not stop in time."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 15)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()

    def errors(self) -> list[str]:
        """Logged errors and tracebacks of every bot process (should be none)."""
        return [
            line
            for line in self.logs().splitlines()
            if " ERROR " in line or "Traceback" in line or "CRITICAL" in line
        ]


class BotProcess(BotSubprocess):
    """``python -m bot run`` on one database file, against a sandbox in another process."""

    def __init__(self, sandbox: SandboxProcess, db_path: Path, log_dir: Path) -> None:
        super().__init__(log_dir)
        self.sandbox = sandbox
        self.db_path = db_path
        self.admin = next_user_id()

    @property
    def settings(self) -> Settings:
        """The settings the bot process reads from its environment (for seeding in-process)."""
        return Settings(
            bot_token=TEST_TOKEN,
            api_url=self.sandbox.api_url,
            db_path=self.db_path,
            admins=frozenset({self.admin}),
            network_name=NETWORK_NAME,
        )

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "MAILLAGE_BOT_TOKEN": TEST_TOKEN,
            "MAILLAGE_API_URL": self.sandbox.api_url,
            "MAILLAGE_DB": str(self.db_path),
            "MAILLAGE_ADMINS": str(self.admin),
            "MAILLAGE_NETWORK_NAME": NETWORK_NAME,
        }


async def seed(
    bot: BotProcess, build: Callable[[Services], Awaitable[Any]], clock: Clock | None = None
) -> Any:
    """Open the database in this process, run ``build``, close it (before the bot opens it)."""
    services = await Services.open(bot.settings, clock)
    try:
        return await build(services)
    finally:
        await services.close()


def query(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the database from outside the bot (WAL: readers never block the writer)."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


async def until_db(
    db_path: Path,
    sql: str,
    params: tuple[Any, ...],
    accept: Callable[[list[tuple[Any, ...]]], bool],
    seconds: float = 10.0,
) -> list[tuple[Any, ...]]:
    """Poll ``sql`` until ``accept`` holds (tight loop: the kill must land before the reply)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            rows = query(db_path, sql, params)
        except sqlite3.OperationalError:
            rows = None
        if rows is not None and accept(rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"the database never showed it: {sql} {params} -> {rows}")
        await asyncio.sleep(0.001)


async def kill_around(
    bot: BotProcess,
    point: KillPoint,
    action: Callable[[], Awaitable[Any]],
    *,
    committed: Callable[[], Awaitable[Any]],
    replied: Callable[[], Awaitable[Any]],
    rng: random.Random,
) -> None:
    """Perform ``action`` and kill the bot at ``point``."""
    await action()
    if point is KillPoint.AT_SEND:
        await asyncio.sleep(rng.uniform(0, 0.01))
    elif point is KillPoint.ON_COMMIT:
        await committed()
    else:
        await replied()
    await bot.kill()


def record(scenario: str, point: KillPoint, lost: int, doubled: int, **details: Any) -> None:
    """Append one run's outcome to ``MAILLAGE_CRASH_REPORT`` (a JSON-lines file), if set."""
    path = os.environ.get("MAILLAGE_CRASH_REPORT")
    if not path:
        return
    line = {"scenario": scenario, "point": str(point), "lost": lost, "doubled": doubled}
    with open(path, "a", encoding="utf-8") as report:
        report.write(json.dumps({**line, **details}, ensure_ascii=False, default=str) + "\n")


async def settle(user: RemoteUser, quiet: float = 1.5) -> None:
    """Wait until the bot has said nothing in the chat for ``quiet`` seconds.

    After a restart the member does not act at once: what they sent while the bot was down
    is delivered to it then (Telegram keeps unconfirmed updates), and a person waits for an
    answer a moment before typing again.
    """
    while await user.wait(quiet):
        pass


async def answered(user: RemoteUser, after: int, pause: float = 0.1) -> None:
    """Wait for the bot's first event after event ``after``, then ``pause`` for the rest."""
    while not any(e["side"] == "bot" for e in user._events()[after:]):
        assert await user.wait(20.0), "no answer:\n" + "\n".join(user.transcript())
    await asyncio.sleep(pause)
    await user.sync()


# -- what members received ------------------------------------------------------------------


def bot_texts(events: list[Event], kinds: tuple[str, ...] = ("message",)) -> list[str]:
    """Texts the bot showed in a chat, in order: new messages (and edits when asked)."""
    return [
        e["message"]["text"]
        for e in events
        if e["side"] == "bot" and e["kind"] in kinds and e.get("message")
    ]


def doubled_messages(
    events: list[Event], allowed: Callable[[str], bool] = lambda _: False
) -> list[str]:
    """New bot messages whose exact text arrived more than once (except ``allowed`` ones)."""
    counts = Counter(bot_texts(events))
    return [text for text, n in counts.items() if n > 1 and not allowed(text)]


def arrivals(shown: list[Any]) -> list[Any]:
    """The sequence without consecutive repeats (a question redrawn in place arrives once)."""
    return [item for i, item in enumerate(shown) if i == 0 or shown[i - 1] != item]


# -- fixtures and members shared by the crash modules ---------------------------------------


@pytest.fixture(scope="module")
def sandboxes(request: pytest.FixtureRequest) -> Iterator[list[SandboxProcess]]:
    """The sandbox processes of the module (one per run going at once, ``JOBS`` of the
    module); at the end every request the bots made is checked against the Bot API."""
    with sandbox_processes(parallel_runs(len(request.module.JOBS))) as running:
        yield running
        spec = load_spec()
        if spec is not None:
            for sandbox in running:
                listed = httpx.get(f"{sandbox.control_url}/requests", timeout=30).json()
                recorded = [RecordedRequest(**r) for r in listed["requests"]]
                violations = check_requests(spec, recorded)
                assert not violations, "requests Telegram would reject:\n" + "\n".join(violations)


@pytest.fixture
async def bots(tmp_path: Path) -> AsyncIterator[Callable[[str, Lane], BotProcess]]:
    """A new bot process (its own folder and database) per run; every one logs no error."""
    made: list[BotProcess] = []

    def new(name: str, lane: Lane) -> BotProcess:
        folder = tmp_path / name
        folder.mkdir()
        made.append(BotProcess(lane.sandbox, folder / "crash.db", folder))
        lane.bots.append(made[-1])
        return made[-1]

    yield new
    for process in made:
        await process.stop()
    errors = [line for process in made for line in process.errors()]
    assert not errors, "\n".join(process.logs() for process in made)


Scenario = Callable[[Lane, BotProcess, int, KillPoint], Awaitable[None]]


def jobs(scenarios: dict[str, Scenario]) -> list[tuple[str, int, KillPoint]]:
    """Every run of the scenarios chosen by ``MAILLAGE_CRASH_SCENARIOS`` (default: all)."""
    chosen = os.environ.get("MAILLAGE_CRASH_SCENARIOS", ",".join(scenarios)).split(",")
    runs = list(enumerate(kill_points()))
    return [(name, run, point) for name in chosen if name in scenarios for run, point in runs]


async def run_scenarios(
    sandboxes: list[SandboxProcess],
    bots: Callable[[str, Lane], BotProcess],
    scenarios: dict[str, Scenario],
    chosen: list[tuple[str, int, KillPoint]],
) -> None:
    """Run every job of ``chosen`` (one bot process each) on the module's sandboxes."""

    async def one(lane: Lane, job: tuple[str, int, KillPoint]) -> None:
        name, run, point = job
        await scenarios[name](lane, bots(f"{name}-{run}-{point}", lane), run, point)

    await run_all(sandboxes, chosen, one)


async def member(client: SandboxClient, services: Services, name: str) -> PacedUser:
    """A registered member whose chat with the bot is open."""
    user = await PacedUser.add(client, name)
    await register(services, user.user_id, name)
    return user


async def animator(client: SandboxClient, bot: BotProcess, services: Services) -> PacedUser:
    """The animator named in MAILLAGE_ADMINS."""
    user = await PacedUser.add(client, "Anne", bot.admin)
    await register(services, user.user_id, "Anne")
    return user


def rng_for(point: KillPoint, run: int) -> random.Random:
    """The run's random choices (reproducible from its kill point and number)."""
    return random.Random(f"{point}-{run}")
