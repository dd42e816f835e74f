"""A real Synapse homeserver on 127.0.0.1, for the tests, the benchmarks and the demo.

Synapse (``matrix-synapse``, installed by the ``matrix-test`` extra) runs as a child process
in a directory of its own: generated config, SQLite, one HTTP listener on 127.0.0.1, no
public registration, registration by shared secret only. Its rate limits are set
explicitly (:class:`SynapseLimits`) so that a benchmark can compare a rate to a known
ceiling instead of to whatever the installed version defaults to.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import aiohttp

SERVER_NAME = "maillage.test"
START_TIMEOUT = 90.0


def synapse_installed() -> bool:
    """Whether ``matrix-synapse`` can be imported in this interpreter."""
    return importlib.util.find_spec("synapse") is not None


@dataclass(frozen=True)
class SynapseLimits:
    """The ``rc_*`` rate limits written into the config (per user unless said otherwise).

    ``message_per_second``/``message_burst`` is the ceiling every sender of events meets
    (Synapse's default is 0.2/s, burst 10, for humans; a bot account on Tchap gets an
    override). Registration, login, joins and invites are lifted so that the fixture can
    bring a thousand simulated members in quickly: they are not what is measured.
    """

    message_per_second: float = 50.0
    message_burst: int = 100
    lifted: float = 10_000.0

    def config(self) -> dict[str, Any]:
        """The ``rc_*`` keys of ``homeserver.yaml``."""
        high = {"per_second": self.lifted, "burst_count": int(self.lifted)}
        return {
            "rc_message": {
                "per_second": self.message_per_second,
                "burst_count": self.message_burst,
            },
            "rc_registration": high,
            "rc_login": {"address": high, "account": high, "failed_attempts": high},
            "rc_joins": {"local": high, "remote": high},
            "rc_joins_per_room": high,
            "rc_invites": {"per_room": high, "per_user": high, "per_issuer": high},
            "rc_3pid_validation": high,
            "rc_admin_redaction": high,
            "rc_room_creation": high,
            "rc_presence": {"per_user": high},
            "rc_delayed_event_mgmt": high,
            "rc_reports": high,
            "rc_media_create": high,
        }


@dataclass(frozen=True)
class Account:
    """A registered Matrix account and its access token."""

    user_id: str
    access_token: str
    device_id: str


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _generate(folder: Path) -> Path:
    """Let Synapse write its default config and signing key into ``folder``."""
    config = folder / "homeserver.yaml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "synapse.app.homeserver",
            "--generate-config",
            "--server-name",
            SERVER_NAME,
            "--config-path",
            str(config),
            "--data-directory",
            str(folder),
            "--report-stats=no",
        ],
        check=True,
        capture_output=True,
        cwd=folder,
    )
    return config


def _configure(config: Path, port: int, limits: SynapseLimits) -> str:
    """Rewrite the generated config for a local test server; return its shared secret."""
    import yaml  # PyYAML comes with matrix-synapse, not with maillage

    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    secret = secrets.token_hex(24)
    folder = config.parent
    settings.update(
        {
            "listeners": [
                {
                    "port": port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(folder / "homeserver.db")}},
            "registration_shared_secret": secret,
            "enable_registration": False,
            "report_stats": False,
            "trusted_key_servers": [],
            "presence": {"enabled": False},
            "bcrypt_rounds": 4,  # test accounts: registering a thousand must be quick
            "media_store_path": str(folder / "media_store"),
            **limits.config(),
        }
    )
    settings.pop("log_config", None)  # log to stderr, captured in synapse.log
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return secret


class Homeserver:
    """One Synapse process serving ``base_url`` until :meth:`stop`."""

    def __init__(self, folder: Path, limits: SynapseLimits | None = None) -> None:
        self.folder = folder
        self.limits = limits or SynapseLimits()
        self.port = 0
        self.shared_secret = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        """The client-server API root, e.g. ``http://127.0.0.1:8448``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def server_name(self) -> str:
        """The homeserver's name, the part after ``:`` in its user ids."""
        return SERVER_NAME

    def start(self) -> None:
        """Generate the config, start Synapse and wait until it answers (blocking)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        config = _generate(self.folder)
        self.port = free_port()
        self.shared_secret = _configure(config, self.port, self.limits)
        self._log = (self.folder / "synapse.log").open("wb")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(config)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=self.folder,
            env={**os.environ, "SYNAPSE_CACHE_FACTOR": "0.5"},
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"Synapse exited; see {self.folder / 'synapse.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"Synapse did not listen within {START_TIMEOUT:g} s")

    def stop(self) -> None:
        """Stop Synapse (SIGTERM, then SIGKILL after 15 s) and close its log."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    async def register(
        self, localpart: str, *, admin: bool = False, password: str | None = None
    ) -> Account:
        """Register ``@localpart:server`` by shared secret (a random password unless given)."""
        url = f"{self.base_url}/_synapse/admin/v1/register"
        password = password or secrets.token_urlsafe(16)
        async with aiohttp.ClientSession() as http:
            async with http.get(url) as response:
                nonce = (await response.json())["nonce"]
            mac = _registration_mac(self.shared_secret, nonce, localpart, password, admin)
            body = {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": mac,
            }
            async with http.post(url, json=body) as response:
                answer = await response.json()
                if response.status != 200:
                    raise RuntimeError(f"registration of {localpart} refused: {answer}")
        return Account(answer["user_id"], answer["access_token"], answer["device_id"])

    async def wait_serving(self, within: float = 30.0) -> None:
        """Wait until the client API answers ``/versions`` (the listener may open earlier)."""
        deadline = time.monotonic() + within
        async with aiohttp.ClientSession() as http:
            while True:
                try:
                    async with http.get(f"{self.base_url}/_matrix/client/versions") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError("Synapse does not answer /_matrix/client/versions")
                await asyncio.sleep(0.2)


def _registration_mac(secret: str, nonce: str, user: str, password: str, admin: bool) -> str:
    """The HMAC-SHA1 Synapse's shared-secret registration expects."""
    mac = hmac.new(secret.encode(), digestmod=hashlib.sha1)
    for part in (nonce, user, password):
        mac.update(part.encode())
        mac.update(b"\x00")
    mac.update(b"admin" if admin else b"notadmin")
    return mac.hexdigest()
