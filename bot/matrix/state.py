"""The Matrix gateway's own state, in a small SQLite file of its own (not the bot's database).

What must outlive a restart (``kill -9`` included) so that no member action is lost or
passed twice, and the bot can go on where it was:

* the sync token, saved only once every event of its batch was handed to the bot, and the
  ids of the events of the batch in progress already handed over (a restart resumes the
  batch and skips them);
* the updates the bot has not confirmed yet (``getUpdates`` offset), written in the same
  transaction as the event they come from;
* each member: Matrix id, direct room, name, language, started/blocked;
* each chat's next message id, and the messages the bot may still edit, delete or have
  answered by number: (chat, message id) → Matrix event id and the message's content,
  kept 48 hours (Telegram's window for a bot to delete a message).

The writes are small and done inline with the standard ``sqlite3`` module in WAL mode, so
the file changes in exactly the order the gateway's world does; a process killed at any
point leaves the last committed transaction.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.sandbox.files import StoredFile

KEEP_MESSAGES_SECONDS = 48 * 3600
PRUNE_EVERY_SECONDS = 3600
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS processed (event_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS members (
    user_id INTEGER PRIMARY KEY, matrix_id TEXT NOT NULL, room_id TEXT, name TEXT NOT NULL,
    language TEXT, started INTEGER NOT NULL, blocked INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS chats (chat_id INTEGER PRIMARY KEY, next_message_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL, event_id TEXT, record TEXT NOT NULL,
    saved_at REAL NOT NULL, PRIMARY KEY (chat_id, message_id));
CREATE INDEX IF NOT EXISTS messages_by_event ON messages (event_id);
CREATE TABLE IF NOT EXISTS updates (update_id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    file_id TEXT PRIMARY KEY, update_id INTEGER NOT NULL, record TEXT NOT NULL, data BLOB NOT NULL);
"""


@dataclass(frozen=True)
class SavedMember:
    """A bridged Matrix user as saved."""

    user_id: int
    matrix_id: str
    room_id: str | None
    name: str
    language: str | None
    started: bool
    blocked: bool


@dataclass(frozen=True)
class SavedMessage:
    """A message the bot may still refer to, with its Matrix event id (None: a member's)."""

    chat_id: int
    message_id: int
    event_id: str | None
    record: dict[str, Any]


class GatewayState:
    """The gateway's SQLite file (``:memory:`` keeps nothing: tests without restarts)."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA secure_delete=ON")  # erased content is overwritten
        self._db.executescript(_SCHEMA)
        self._depth = 0
        self._pruned = 0.0
        self.prune()

    def prune(self) -> None:
        """Forget the messages older than 48 hours (their content is personal data too)."""
        self._pruned = time.time()
        self._db.execute(
            "DELETE FROM messages WHERE saved_at < ?", (self._pruned - KEEP_MESSAGES_SECONDS,)
        )

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything written inside commits together, or not at all."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._depth = 0

    # -- sync position -------------------------------------------------------------------

    @property
    def since(self) -> str | None:
        """The sync token after the last batch fully handed to the bot (None: first run)."""
        return self._meta("since")

    def save_since(self, token: str) -> None:
        """The batch before ``token`` is handed over: its event ids are no longer needed."""
        with self.transaction():
            self._set_meta("since", token)
            self._db.execute("DELETE FROM processed")
        if time.time() - self._pruned > PRUNE_EVERY_SECONDS:
            self.prune()

    def processed(self, event_id: str) -> bool:
        """Whether this Matrix event was already handed to the bot."""
        row = self._db.execute("SELECT 1 FROM processed WHERE event_id = ?", (event_id,))
        return row.fetchone() is not None

    def mark_processed(self, event_id: str) -> None:
        """Note the Matrix event as handed to the bot (in the same transaction as its update)."""
        self._db.execute("INSERT OR IGNORE INTO processed (event_id) VALUES (?)", (event_id,))

    # -- updates the bot has not confirmed (bot.sandbox.updates.Journal) -----------------

    def pushed(self, update: dict[str, Any], next_id: int) -> None:
        """Keep a queued update until the bot confirms it."""
        body = json.dumps(update, ensure_ascii=False)
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO updates (update_id, body) VALUES (?, ?)",
                (update["update_id"], body),
            )
            self._set_meta("next_update_id", str(next_id))

    def confirmed(self, first_pending: int) -> None:
        """Forget the updates the bot confirmed, and the files they brought."""
        self._db.execute("DELETE FROM updates WHERE update_id < ?", (first_pending,))
        self._db.execute("DELETE FROM files WHERE update_id < ?", (first_pending,))

    def save_file(self, stored: StoredFile, update_id: int) -> None:
        """Keep a member's file until the bot confirmed the update that brings it."""
        record = {
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
            "kind": stored.kind,
        }
        self._db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
            (stored.file_id, update_id, json.dumps(record), stored.data),
        )

    def files(self) -> list[StoredFile]:
        """The members' files pending updates bring."""
        rows = self._db.execute("SELECT file_id, record, data FROM files").fetchall()
        return [StoredFile(file_id=i, data=bytes(d), **json.loads(r)) for i, r, d in rows]

    def pending_updates(self) -> tuple[list[dict[str, Any]], int]:
        """The unconfirmed updates in order, and the next update id."""
        rows = self._db.execute("SELECT body FROM updates ORDER BY update_id").fetchall()
        return [json.loads(body) for (body,) in rows], int(self._meta("next_update_id") or 1)

    # -- members, chats, messages ----------------------------------------------------------

    def save_member(self, member: SavedMember) -> None:
        """Insert or update a bridged member."""
        self._db.execute(
            "INSERT OR REPLACE INTO members VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                member.user_id,
                member.matrix_id,
                member.room_id,
                member.name,
                member.language,
                int(member.started),
                int(member.blocked),
            ),
        )

    def members(self) -> list[SavedMember]:
        """Every bridged member."""
        rows = self._db.execute("SELECT * FROM members ORDER BY user_id").fetchall()
        return [SavedMember(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6])) for r in rows]

    def member(self, user_id: int) -> SavedMember | None:
        """One bridged member, if known."""
        row = self._db.execute("SELECT * FROM members WHERE user_id = ?", (user_id,)).fetchone()
        if row is None:
            return None
        return SavedMember(row[0], row[1], row[2], row[3], row[4], bool(row[5]), bool(row[6]))

    def kept_messages(self, chat_id: int) -> int:
        """How many of the chat's messages are kept (with their content)."""
        row = self._db.execute("SELECT count(*) FROM messages WHERE chat_id = ?", (chat_id,))
        return int(row.fetchone()[0])

    def forget_person(self, user_id: int) -> None:
        """Erase what a person is known by here but their address: name, language, messages.

        The Matrix id and the direct room stay, as a Telegram chat stays at Telegram: the
        bot can still answer if they write again, as a newcomer.
        """
        with self.transaction():
            self._db.execute(
                "UPDATE members SET name = '', language = NULL WHERE user_id = ?", (user_id,)
            )
            self._db.execute("DELETE FROM messages WHERE chat_id = ?", (user_id,))
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # older copies leave the log

    def save_next_message_id(self, chat_id: int, next_id: int) -> None:
        """The chat's next message id is at least ``next_id``."""
        self._db.execute(
            "INSERT INTO chats VALUES (?, ?) ON CONFLICT (chat_id) DO UPDATE"
            " SET next_message_id = max(next_message_id, excluded.next_message_id)",
            (chat_id, next_id),
        )

    def next_message_ids(self) -> dict[int, int]:
        """Each chat's next message id."""
        return dict(self._db.execute("SELECT chat_id, next_message_id FROM chats").fetchall())

    def save_message(
        self, chat_id: int, message_id: int, event_id: str | None, record: dict[str, Any]
    ) -> None:
        """A message's Matrix event id and current content (after an edit: the new one)."""
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO messages VALUES (?, ?, ?, ?, ?)",
                (
                    chat_id,
                    message_id,
                    event_id,
                    json.dumps(record, ensure_ascii=False),
                    time.time(),
                ),
            )
            self.save_next_message_id(chat_id, message_id + 1)

    def forget_message(self, chat_id: int, message_id: int) -> None:
        """The message was deleted."""
        self._db.execute(
            "DELETE FROM messages WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
        )

    def event_id(self, chat_id: int, message_id: int) -> str | None:
        """The Matrix event a message became, if it is known."""
        row = self._db.execute(
            "SELECT event_id FROM messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        ).fetchone()
        return None if row is None else row[0]

    def message_of(self, event_id: str) -> tuple[int, int] | None:
        """The chat and message id a Matrix event of the bot's is, if it is known."""
        row = self._db.execute(
            "SELECT chat_id, message_id FROM messages WHERE event_id = ?", (event_id,)
        ).fetchone()
        return None if row is None else (int(row[0]), int(row[1]))

    def messages(self) -> list[SavedMessage]:
        """The kept messages, chat by chat, in order."""
        rows = self._db.execute(
            "SELECT chat_id, message_id, event_id, record FROM messages"
            " ORDER BY chat_id, message_id"
        ).fetchall()
        return [SavedMessage(c, m, e, json.loads(r)) for c, m, e, r in rows]

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
