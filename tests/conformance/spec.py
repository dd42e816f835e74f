"""Load the Bot API description from ../shared/telegram and check recorded requests with it."""

import functools
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import pytest
from telegram.constants import BOT_API_VERSION_INFO

from tests.conformance.limits import Rules
from tests.conformance.schema import Schema
from tests.conformance.validator import RequestValidator, Violation

SPEC_DIR: Path = Path(__file__).resolve().parents[2].parent / "shared" / "telegram"
MISSING_REASON = (
    "../shared/telegram not found: the spec checks run in CI, where shared/ sits beside the repo"
)
_NO_FILES: Mapping[str, int] = MappingProxyType({})


class RecordedRequestLike(Protocol):
    """What the checker reads from a recorded request (the sandbox's RecordedRequest fits)."""

    @property
    def method(self) -> str:
        """The Bot API method name, as in the URL."""
        ...

    @property
    def params(self) -> Mapping[str, str]:
        """The form values, as sent: strings as-is, everything else JSON-encoded."""
        ...

    @property
    def files(self) -> Mapping[str, int]:
        """Multipart file field names and their sizes in bytes."""
        ...


def _line(label: str, path: str, message: str) -> str:
    return f"{label}: {path}: {message}" if path else f"{label}: {message}"


class BotApiSpec:
    """The Bot API description and hard limits, ready to check requests against."""

    def __init__(self, api: Mapping[str, Any], limits: Mapping[str, Any]) -> None:
        self.version: str = api["version"]
        self.schema = Schema(api)
        self.rules = Rules(limits, self.schema)

    @property
    def applied_limits(self) -> frozenset[str]:
        """The ids of the limits.json entries this checker enforces."""
        return self.rules.applied

    def violations(
        self, method: str, params: Mapping[str, str], files: Mapping[str, int] = _NO_FILES
    ) -> tuple[str, list[Violation]]:
        """The method's canonical name and each (field path, rule broken) of the request."""
        schema = self.schema.method(method)
        if schema is None:
            return method, [("", f"unknown Bot API method (not in {self.version})")]
        return schema.name, RequestValidator(self.schema, self.rules, files).check(schema, params)

    def check(
        self, method: str, params: Mapping[str, str], files: Mapping[str, int] = _NO_FILES
    ) -> list[str]:
        """Human-readable violations of one request (`method: path: rule`), [] if conformant."""
        name, violations = self.violations(method, params, files)
        return [_line(name, path, message) for path, message in violations]


def check_requests(spec: BotApiSpec, requests: Iterable[RecordedRequestLike]) -> list[str]:
    """Violations of a sequence of recorded requests, as `sendMessage #12: path: rule` lines."""
    lines = []
    for index, request in enumerate(requests):
        name, violations = spec.violations(request.method, request.params, request.files)
        lines += [_line(f"{name} #{index}", path, message) for path, message in violations]
    return lines


@functools.cache
def _load(directory: Path) -> BotApiSpec | None:
    if not directory.is_dir():
        return None
    major, minor = BOT_API_VERSION_INFO[:2]  # the Bot API version python-telegram-bot targets
    api = json.loads((directory / f"api-{major}.{minor}.json").read_text("utf-8"))
    limits = json.loads((directory / "limits.json").read_text("utf-8"))
    return BotApiSpec(api, limits)


def load_spec() -> BotApiSpec | None:
    """The spec in SPEC_DIR, or None when ../shared/telegram is absent (a user's clone)."""
    return _load(SPEC_DIR)


def require_spec() -> BotApiSpec:
    """The spec, or skip the calling test; with CI=true a missing spec fails the test instead."""
    spec = load_spec()
    if spec is not None:
        return spec
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{MISSING_REASON} (CI=true: the spec is mandatory in CI)", pytrace=False)
    pytest.skip(MISSING_REASON)
