"""The delivery engine: outbox rows, pacing, retries, crash safety and reports for bulk sends."""

from bot.delivery.engine import DeliveryEngine
from bot.delivery.model import (
    RESENDABLE,
    Attachment,
    Audience,
    Content,
    DeliveryState,
    Draft,
    Keyboard,
    Message,
    Recipient,
    SendStatus,
)
from bot.delivery.pacing import Pacer
from bot.delivery.preferences import DeliveryPreferences
from bot.delivery.quiet import QuietHours
from bot.delivery.report import SendReport
from bot.delivery.run import RetryPolicy
from bot.delivery.sender import (
    Blocked,
    Failed,
    MaybeSent,
    NotSentRetryable,
    RetryLater,
    Sender,
    SendError,
)

__all__ = [
    "RESENDABLE",
    "Attachment",
    "Audience",
    "Blocked",
    "Content",
    "DeliveryEngine",
    "DeliveryPreferences",
    "DeliveryState",
    "Draft",
    "Failed",
    "Keyboard",
    "MaybeSent",
    "Message",
    "NotSentRetryable",
    "Pacer",
    "QuietHours",
    "Recipient",
    "RetryLater",
    "RetryPolicy",
    "SendError",
    "SendReport",
    "SendStatus",
    "Sender",
]
