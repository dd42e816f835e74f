"""Bot API methods about files: send a document or a photo, get a file."""

from __future__ import annotations

import mimetypes
from typing import Any

from bot.sandbox import errors
from bot.sandbox.files import (
    DOWNLOAD_LIMIT,
    PHOTO_UPLOAD_LIMIT,
    UPLOAD_LIMIT,
    StoredFile,
    image_size,
)
from bot.sandbox.formatting import format_caption
from bot.sandbox.outgoing import markups, mentions
from bot.sandbox.params import Params
from bot.sandbox.world import World


def _input_file(world: World, params: Params, field: str, kind: str) -> StoredFile:
    """The file of ``field``: an upload (possibly ``attach://``), or a known ``file_id``."""
    value = params.text(field)
    upload = params.uploads.get(field)
    if value and value.startswith("attach://"):
        upload = params.uploads.get(value[len("attach://") :])
    if upload is not None:
        limit = PHOTO_UPLOAD_LIMIT if kind == "photo" else UPLOAD_LIMIT
        if len(upload.data) > limit:
            raise errors.bad_request(errors.FILE_TOO_BIG)
        if not upload.data:
            raise errors.bad_request(errors.FILE_EMPTY)
        name = upload.filename
        mime = upload.content_type
        if not mime or mime == "application/octet-stream":
            mime = (mimetypes.guess_type(name)[0] if name else None) or mime
        if kind == "photo":
            name, mime = None, "image/jpeg"
        return world.files.add(upload.data, kind, name, mime)
    if not value:
        raise errors.bad_request(f"Bad Request: there is no {field} in the request")
    if value.startswith(("http://", "https://")):
        raise errors.bad_request(errors.URL_NOT_FETCHED)
    stored = world.files.by_id(value)
    if stored is None:
        raise errors.bad_request(errors.WRONG_FILE_ID)
    return stored


def _send_media(world: World, params: Params, kind: str) -> dict[str, Any]:
    chat_id = params.chat_id()
    caption, entities = format_caption(
        params.text("caption"), params.text("parse_mode"), params.raw("caption_entities")
    )
    markup, keyboard = markups(params)
    stored = _input_file(world, params, kind, kind)
    media: Any
    if kind == "photo":
        size = image_size(stored.data)
        if size is None:
            raise errors.bad_request(errors.IMAGE_PROCESS_FAILED)
        media = [photo_size(stored, size)]
    else:
        media = document_api(stored)
    chat = world.chat_for_bot(chat_id)
    world.throttle(chat, creates=True, paid=params.boolean("allow_paid_broadcast"))
    message = world.post(
        chat,
        world.bot,
        kind,
        raw=params.text("caption"),
        text=caption,
        entities=mentions(world, entities),
        reply_markup=markup,
        keyboard=keyboard,
        media=media,
        file=stored,
    )
    return message.to_api()


def photo_size(stored: StoredFile, size: tuple[int, int]) -> dict[str, Any]:
    """Bot API ``PhotoSize`` for a stored image."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": size[0],
        "height": size[1],
        "file_size": len(stored.data),
    }


def document_api(stored: StoredFile) -> dict[str, Any]:
    """Bot API ``Document`` for a stored file."""
    document: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


def send_document(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``sendDocument`` (multipart upload, ``attach://``, or a known file_id; no URLs)."""
    return _send_media(world, params, "document")


def send_photo(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``sendPhoto`` (PNG, JPEG, GIF or WebP; one ``PhotoSize`` of the original size)."""
    return _send_media(world, params, "photo")


def get_file(world: World, params: Params) -> dict[str, Any]:
    """Bot API ``getFile``."""
    stored = world.files.by_id(params.required_text("file_id"))
    if stored is None:
        raise errors.bad_request(errors.INVALID_FILE_ID)
    if len(stored.data) > DOWNLOAD_LIMIT:
        raise errors.bad_request(errors.FILE_TOO_BIG)
    return stored.to_api()
