"""SQL for what erasure does to sends: those a person created, and those quoting them.

A send keeps its delivery rows (anonymous counts) but not the words of an erased person:
the sends they created lose their author and their content, and so do the sends that
quoted something they typed (a topic title in a vote announcement, a case in a group's
invitation, their name). A send still to go out keeps its content until it is over (the
others still receive it): ``sends_to_empty`` marks it, and a trigger (migration
``0014_erasure_sends``) empties it when its status becomes done or cancelled. An emptied
send ends ``cancelled``: it can never be resent.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import markupsafe

from bot.clock import to_iso
from bot.storage.db import Database, Transaction

WITHDRAWN_PART = "—"
"""What an emptied send keeps in each language (a message needs one part)."""
SHORTEST_QUOTE = 4
"""Texts shorter than this are not searched for (they would match everywhere)."""


def _forms(text: str) -> set[str]:
    """How a typed text can appear in stored content: as typed or HTML-escaped."""
    return {text, str(markupsafe.escape(text)), html.escape(text)}


def _attachment_texts(attachments: str) -> list[str]:
    """The decoded files of a send (calendar lines unfolded and unescaped)."""
    texts = []
    for stored in json.loads(attachments).values():
        try:
            data = base64.b64decode(stored.get("data", ""), validate=True)
        except (binascii.Error, ValueError):
            continue
        text = data.decode("utf-8", "replace").replace("\r\n ", "").replace("\n ", "")
        texts.append(text)
        texts.append(text.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n"))
        texts.append(str(stored.get("caption", "")))
    return texts


def _strings(value: Any) -> list[str]:
    """Every string inside a JSON value (a keyboard's labels)."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in _strings(item)]


def _quotes(parts: str, keyboards: str, attachments: str, forms: set[str]) -> bool:
    texts = [piece for pieces in json.loads(parts).values() for piece in pieces]
    texts += _strings(json.loads(keyboards)) + _attachment_texts(attachments)
    return any(form in text for text in texts for form in forms)


async def _wipe(tx: Transaction, send_ids: Iterable[int], now: datetime) -> None:
    """Keep each send's languages and counts, not a word of its content.

    The send ends ``cancelled`` so that it can never be resent (there is nothing to send).
    """
    for send_id in send_ids:
        row = await tx.fetchone("SELECT parts FROM sends WHERE id = ?", (send_id,))
        if row is None:
            continue
        empty: dict[str, Any] = {lang: [WITHDRAWN_PART] for lang in json.loads(row["parts"])}
        await tx.execute(
            "UPDATE sends SET parts = ?, keyboards = '{}', attachments = '{}',"
            " status = 'cancelled', finished_at = COALESCE(finished_at, ?) WHERE id = ?",
            (json.dumps(empty), to_iso(now), send_id),
        )


async def _empty(tx: Transaction, sends: list[tuple[int, str]], now: datetime) -> None:
    """Empty the finished sends now, the others once they are over."""
    await _wipe(tx, [i for i, status in sends if status in ("done", "cancelled")], now)
    await tx.executemany(
        "INSERT OR IGNORE INTO sends_to_empty (send_id) VALUES (?)",
        [(i,) for i, status in sends if status not in ("done", "cancelled")],
    )


class AuthoredSends:
    """The sends a member created, as a personal data source; and quotes of a member."""

    name = "sends"

    def __init__(self, db: Database) -> None:
        self._db = db

    async def export_personal_data(self, user_id: int) -> list[dict[str, Any]]:
        """The sends this member created (what they were, not the whole content)."""
        rows = await self._db.fetchall(
            "SELECT id, kind, category, status, created_at, due_at FROM sends"
            " WHERE created_by = ? ORDER BY id",
            (user_id,),
        )
        return [dict(row) for row in rows]

    async def erase_author(self, user_id: int, now: datetime) -> None:
        """Empty the member's sends (once over for those still to go) and unlink them."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT id, status FROM sends WHERE created_by = ?", (user_id,)
            )
            await _empty(tx, [(row["id"], row["status"]) for row in rows], now)
            await tx.execute("UPDATE sends SET created_by = NULL WHERE created_by = ?", (user_id,))

    async def forget_quotes(self, texts: Iterable[str], now: datetime) -> int:
        """Empty the sends quoting any of ``texts`` (once over if still to go); how many."""
        forms = {
            form for text in texts if len(text.strip()) >= SHORTEST_QUOTE for form in _forms(text)
        }
        if not forms:
            return 0
        async with self._db.transaction() as tx:
            rows = await tx.fetchall("SELECT id, status, parts, keyboards, attachments FROM sends")
            quoting = [
                (r["id"], r["status"])
                for r in rows
                if _quotes(r["parts"], r["keyboards"], r["attachments"], forms)
            ]
            await _empty(tx, quoting, now)
        return len(quoting)
