"""Files sent through the sandbox: storage by file_id and file_path, image sizes, sample files."""

from __future__ import annotations

import base64
import hashlib
import itertools
import struct
import zlib
from dataclasses import dataclass
from typing import Any, ClassVar

UPLOAD_LIMIT = 50_000_000
PHOTO_UPLOAD_LIMIT = 10_000_000
DOWNLOAD_LIMIT = 20_000_000


@dataclass(frozen=True, slots=True)
class StoredFile:
    """One file the sandbox holds (uploaded by the bot or sent by a simulated member)."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None
    mime_type: str | None
    kind: str  # document, photo, sticker, voice

    def to_api(self) -> dict[str, Any]:
        """Bot API ``File`` (``getFile`` result)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


class FileStore:
    """All files, found by ``file_id`` or by ``file_path``."""

    _FOLDERS: ClassVar[dict[str, str]] = {
        "document": "documents",
        "photo": "photos",
        "sticker": "stickers",
        "voice": "voice",
    }

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._counter = itertools.count(1)

    def add(
        self, data: bytes, kind: str, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        """Store ``data`` and return its record with fresh, Telegram-looking identifiers."""
        number = next(self._counter)
        digest = hashlib.sha256(data + number.to_bytes(8, "big")).digest()
        file_id = "BQACAgQAAxkBAA" + base64.urlsafe_b64encode(digest[:30]).decode().rstrip("=")
        unique = "AgAD" + base64.urlsafe_b64encode(digest[-9:]).decode().rstrip("=")
        extension = (file_name or "").rpartition(".")[2] if file_name and "." in file_name else ""
        if not extension:
            extension = {"photo": "jpg", "sticker": "webp", "voice": "oga"}.get(kind, "bin")
        path = f"{self._FOLDERS.get(kind, 'documents')}/file_{number}.{extension}"
        stored = StoredFile(file_id, unique, path, data, file_name, mime_type, kind)
        self._by_id[file_id] = stored
        self._by_path[path] = stored
        return stored

    def restore(self, stored: StoredFile) -> None:
        """Hold ``stored`` again (a restart); later files get paths after its number."""
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        number = stored.file_path.rpartition("file_")[2].partition(".")[0]
        if number.isdigit():
            self._counter = itertools.count(max(int(number) + 1, next(self._counter)))

    def by_id(self, file_id: str) -> StoredFile | None:
        """The file with this ``file_id``, if any."""
        return self._by_id.get(file_id)

    def by_path(self, path: str) -> StoredFile | None:
        """The file served at ``/file/bot<TOKEN>/<path>``, if any."""
        return self._by_path.get(path)


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF, JPEG or WebP image, None if not recognised."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        return _webp_size(data)
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        return width, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def sample_png(width: int = 64, height: int = 48) -> bytes:
    """A small valid grey PNG, used when a simulated member sends a photo."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
