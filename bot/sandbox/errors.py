"""Bot API errors the sandbox answers with, and their canonical Telegram texts."""

from __future__ import annotations

from typing import Any

TOO_MANY_REQUESTS = "Too Many Requests: retry after {n}"
UNAUTHORIZED = "Unauthorized"
INVALID_TOKEN = "Unauthorized: invalid token specified"
METHOD_NOT_FOUND = "Not Found: method not found"
NOT_FOUND = "Not Found"
CONFLICT_GET_UPDATES = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
BLOCKED = "Forbidden: bot was blocked by the user"
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
NOT_GROUP_MEMBER = "Forbidden: bot is not a member of the group chat"
KICKED_FROM_GROUP = "Forbidden: bot was kicked from the group chat"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
MESSAGE_TO_EDIT_NOT_FOUND = "Bad Request: message to edit not found"
MESSAGE_TO_DELETE_NOT_FOUND = "Bad Request: message to delete not found"
MESSAGE_CANT_BE_EDITED = "Bad Request: message can't be edited"
NO_TEXT_TO_EDIT = "Bad Request: there is no text in the message to edit"
NO_CAPTION_TO_EDIT = "Bad Request: there is no caption in the message to edit"
MESSAGE_ID_MISSING = "Bad Request: message identifier is not specified"
CHAT_NOT_FOUND = "Bad Request: chat not found"
MESSAGE_TOO_LONG = "Bad Request: message is too long"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
TEXT_EMPTY_PARAM = "Bad Request: message text is empty"
TEXT_EMPTY_AFTER_PARSE = "Bad Request: text must be non-empty"
CANT_PARSE_ENTITIES = "Bad Request: can't parse entities: {reason}"
UNSUPPORTED_PARSE_MODE = "Bad Request: unsupported parse_mode"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
BUTTON_URL_INVALID = "Bad Request: BUTTON_URL_INVALID"
REPLY_MARKUP_TOO_LONG = "Bad Request: reply markup is too long"
REPLY_MARKUP_UNPARSABLE = "Bad Request: can't parse reply keyboard markup JSON object"
BUTTON_TEXT_EMPTY = "Bad Request: inline keyboard button text must be non-empty"
BUTTON_WITHOUT_ACTION = "Bad Request: text buttons are unallowed in the inline keyboard"
BUTTON_SEVERAL_ACTIONS = (
    "Bad Request: can't parse inline keyboard button: exactly one of the optional fields "
    "must be used"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
ANSWER_TEXT_TOO_LONG = "Bad Request: MESSAGE_TOO_LONG"
POLL_QUESTION_TOO_LONG = "Bad Request: poll question length must not exceed 300"
POLL_NO_OPTIONS = "Bad Request: poll must have at least one answer option"
POLL_TOO_MANY_OPTIONS = "Bad Request: poll can't have more than 12 options"
POLL_OPTION_TOO_LONG = "Bad Request: poll options length must not exceed 100"
POLL_OPTIONS_UNPARSABLE = "Bad Request: can't parse options JSON object"
POLL_TYPE_UNSUPPORTED = "Bad Request: unsupported poll type specified"
POLL_NOT_FOUND = "Bad Request: message with poll to stop not found"
NOT_A_POLL = "Bad Request: message is not a poll"
POLL_ALREADY_CLOSED = "Bad Request: poll has already been closed"
FILE_TOO_BIG = "Bad Request: file is too big"
FILE_EMPTY = "Bad Request: file must be non-empty"
INVALID_FILE_ID = "Bad Request: invalid file_id"
WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified"
URL_NOT_FETCHED = "Bad Request: failed to get HTTP URL content"
IMAGE_PROCESS_FAILED = "Bad Request: IMAGE_PROCESS_FAILED"
BOT_COMMAND_INVALID = "Bad Request: BOT_COMMAND_INVALID"
BOT_COMMAND_DESCRIPTION_INVALID = "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"
BOT_COMMANDS_TOO_MUCH = "Bad Request: BOT_COMMANDS_TOO_MUCH"
COMMANDS_UNPARSABLE = "Bad Request: can't parse commands JSON object"
SCOPE_UNPARSABLE = "Bad Request: can't parse BotCommandScope JSON object"
DESCRIPTION_TOO_LONG = "Bad Request: description is too long"
SHORT_DESCRIPTION_TOO_LONG = "Bad Request: short description is too long"
WEBHOOK_URL_INVALID = "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
USER_NOT_FOUND = "Bad Request: user not found"


class ApiError(Exception):
    """A Bot API failure: HTTP status = ``code``, ``description`` verbatim as Telegram's."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def envelope(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    """A 400 error; ``description`` must already carry the ``Bad Request:`` prefix."""
    return ApiError(400, description)


def forbidden(description: str) -> ApiError:
    """A 403 error; ``description`` must already carry the ``Forbidden:`` prefix."""
    return ApiError(403, description)


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 error with ``parameters.retry_after``."""
    return ApiError(429, TOO_MANY_REQUESTS.format(n=retry_after), {"retry_after": retry_after})


def missing(name: str) -> ApiError:
    """The error for an absent required parameter (``chat_id is empty`` style)."""
    return ApiError(400, f"Bad Request: {name} is empty")


class SandboxError(Exception):
    """A simulated member's action the sandbox refuses (unknown user, message, poll, ...)."""
