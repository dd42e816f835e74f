"""A Telegram Bot API sandbox: an HTTP server speaking the Bot API, with simulated members.

See :class:`Sandbox` (in-process), :func:`serve` (standalone), :class:`SandboxClient`
(drive a sandbox in another process) and :mod:`bot.sandbox.console` (interactive demo).
"""

from bot.sandbox.client import RemoteGroup, RemoteUser, SandboxClient
from bot.sandbox.console import Persona, run_console
from bot.sandbox.errors import SandboxError
from bot.sandbox.participant import ReceivedFile
from bot.sandbox.ratelimit import RateLimits
from bot.sandbox.server import DEFAULT_TOKEN, Sandbox, serve
from bot.sandbox.users import SimGroup, SimUser
from bot.sandbox.world import RecordedRequest, Stats

__all__ = [
    "DEFAULT_TOKEN",
    "Persona",
    "RateLimits",
    "ReceivedFile",
    "RecordedRequest",
    "RemoteGroup",
    "RemoteUser",
    "Sandbox",
    "SandboxClient",
    "SandboxError",
    "SimGroup",
    "SimUser",
    "Stats",
    "run_console",
    "serve",
]
