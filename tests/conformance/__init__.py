"""Bot API conformance checks for the requests the bot sends (spec data in ../shared/telegram)."""

from tests.conformance.spec import (
    MISSING_REASON,
    SPEC_DIR,
    BotApiSpec,
    RecordedRequestLike,
    check_requests,
    load_spec,
    require_spec,
)

__all__ = [
    "MISSING_REASON",
    "SPEC_DIR",
    "BotApiSpec",
    "RecordedRequestLike",
    "check_requests",
    "load_spec",
    "require_spec",
]
