"""The engine's Sender for Telegram: a python-telegram-bot ``Bot`` dedicated to bulk sending."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import timedelta

from telegram import Bot, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.config import Settings
from bot.delivery.aiohttp_request import AiohttpRequest, RequestNotSent
from bot.delivery.engine import DEFAULT_CONCURRENCY
from bot.delivery.model import Keyboard
from bot.delivery.sender import Blocked, Failed, MaybeSent, NotSentRetryable, RetryLater

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _seconds(retry_after: int | timedelta) -> float:
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)


class TelegramSender:
    """Sends through its own ``Bot`` (same token and URLs as the Application).

    It has no rate limiter (the engine paces itself) and an aiohttp connection pool sized
    for the engine's workers; see :mod:`bot.delivery.aiohttp_request` for why not httpx.
    """

    def __init__(self, settings: Settings, pool_size: int = DEFAULT_CONCURRENCY) -> None:
        self._settings = settings
        self._pool_size = pool_size
        self._bot: Bot | None = None

    async def open(self) -> None:
        """Create and initialise the bulk ``Bot`` (checks the token with getMe)."""
        bot = Bot(
            self._settings.require_token(),
            base_url=self._settings.api_url,
            base_file_url=self._settings.file_url,
            request=AiohttpRequest(self._pool_size),
            get_updates_request=AiohttpRequest(1),
        )
        await bot.initialize()
        self._bot = bot

    async def close(self) -> None:
        """Shut the ``Bot`` down."""
        if self._bot is not None:
            await self._bot.shutdown()
            self._bot = None

    async def send(self, chat_id: int, text: str, keyboard: Keyboard | None) -> int:
        """Send one HTML message without link preview; map Telegram's errors for the engine."""
        bot = self._open_bot()
        markup = InlineKeyboardMarkup.de_json(keyboard, bot) if keyboard else None
        return await _message_id(
            bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                link_preview_options=_NO_PREVIEW,
                reply_markup=markup,
            )
        )

    async def send_document(
        self, chat_id: int, filename: str, data: bytes, caption: str | None
    ) -> int:
        """Send one document with an HTML caption; map Telegram's errors for the engine."""
        bot = self._open_bot()
        return await _message_id(
            bot.send_document(
                chat_id,
                InputFile(data, filename=filename),
                caption=caption,
                parse_mode=ParseMode.HTML,
            )
        )

    def _open_bot(self) -> Bot:
        if self._bot is None:
            raise NotSentRetryable("the bulk sender is not open")
        return self._bot


async def _message_id(request: Awaitable[Message]) -> int:
    """The id of the message ``request`` sends, Telegram's errors mapped for the engine."""
    try:
        message = await request
    except RetryAfter as error:
        raise RetryLater(_seconds(error.retry_after)) from error
    except Forbidden as error:
        raise Blocked(error.message) from error
    except RequestNotSent as error:
        raise NotSentRetryable(error.message) from error
    except BadRequest as error:
        raise Failed(error.message) from error
    except NetworkError as error:
        raise MaybeSent(error.message) from error
    except TelegramError as error:
        raise Failed(error.message) from error
    return message.message_id
