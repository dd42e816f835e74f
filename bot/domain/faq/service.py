"""The FAQ service: entries kept by animators, search, members' questions and their answers.

Language rule: an entry exists in French, English or both. A member reads their own
language; when only the other exists they read it, told in their language that it is the
only version (``Entry.version``). Search looks in both languages.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from bot.clock import Clock
from bot.domain.faq.model import (
    MAX_ASKED,
    Entry,
    FaqError,
    Question,
    QuestionStatus,
    Theme,
    Version,
)
from bot.domain.faq.text import clean_answer, clean_asked, match_expression, parse_theme, plain
from bot.storage.db import Database
from bot.storage.faq import EntryStore, QuestionStore
from bot.storage.pending_inputs import InputStore, PendingInput

SEARCH_LIMIT = 10


def _search_text(fr: Version | None, en: Version | None) -> tuple[str, str]:
    """What the index holds: the questions, then the answers' visible text (both languages)."""
    versions = [version for version in (fr, en) if version is not None]
    return (
        "\n".join(version.question for version in versions),
        "\n".join(plain(version.answer) for version in versions),
    )


class FaqService:
    """Themes, entries, search and questions; a personal data source (members' questions)."""

    name = "faq"

    def __init__(self, db: Database, clock: Clock) -> None:
        self.entries = EntryStore(db)
        self.questions = QuestionStore(db)
        self._inputs = InputStore(db, "faq_inputs")
        self._clock = clock

    # -- themes and entries -----------------------------------------------------------------

    async def add_theme(self, text: str | None) -> Theme:
        """A theme typed ``Nom | Name``."""
        return await self.entries.add_theme(*parse_theme(text))

    async def browsable(self) -> list[tuple[Theme, int]]:
        """The themes that have entries, with their count, in order."""
        counts = await self.entries.counts()
        return [(t, counts[t.id]) for t in await self.entries.themes() if counts.get(t.id)]

    async def add_entry(self, theme_id: int, fr: Version | None, en: Version | None) -> Entry:
        """A new entry, last of its theme (the theme must exist, one version at least)."""
        if fr is None and en is None:
            raise FaqError("no_version")
        if await self.entries.theme(theme_id) is None:
            raise FaqError("gone")
        search = _search_text(fr, en)
        entry_id = await self.entries.add(theme_id, fr, en, search, self._clock.now())
        return await self._entry(entry_id)

    async def set_version(self, entry_id: int, language: str, version: Version | None) -> Entry:
        """Replace (or with None remove) one language of an entry; never its last one."""
        entry = await self._entry(entry_id)
        changed = replace(entry, **{language: version})
        if changed.fr is None and changed.en is None:
            raise FaqError("last_version")
        search = _search_text(changed.fr, changed.en)
        if not await self.entries.update(
            entry_id, changed.fr, changed.en, search, self._clock.now()
        ):
            raise FaqError("gone")
        return changed

    async def move(self, entry_id: int, seen_position: int, step: int) -> bool:
        """Move an entry up (-1) or down (+1); False if the list changed since it was shown."""
        return await self.entries.swap(entry_id, seen_position, step)

    async def change_theme(self, entry_id: int, theme_id: int) -> Entry:
        """Put an entry last in another theme."""
        if await self.entries.theme(theme_id) is None:
            raise FaqError("gone")
        if not await self.entries.move_to_theme(entry_id, theme_id, self._clock.now()):
            raise FaqError("gone")
        return await self._entry(entry_id)

    async def remove(self, entry_id: int) -> None:
        """Delete an entry (FaqError ``gone`` if already deleted)."""
        if not await self.entries.delete(entry_id):
            raise FaqError("gone")

    async def search(self, query: str | None) -> list[Entry]:
        """The entries matching the words typed, accents and case ignored, best first."""
        return await self.entries.search(match_expression(query), SEARCH_LIMIT)

    async def _entry(self, entry_id: int) -> Entry:
        entry = await self.entries.entry(entry_id)
        if entry is None:
            raise FaqError("gone")
        return entry

    # -- members' questions -----------------------------------------------------------------

    async def ask(self, user_id: int, language: str, text: str | None) -> Question:
        """A member's question for the animators."""
        return await self.questions.ask(user_id, language, clean_asked(text), self._clock.now())

    async def open_question(self, question_id: int) -> Question:
        """A question an animator is about to answer; FaqError if answered or gone."""
        question = await self.questions.get(question_id)
        if question is None:
            raise FaqError("gone")
        if question.status is QuestionStatus.ANSWERED:
            raise FaqError("already_answered")
        return question

    async def record_answer(
        self, question_id: int, animator_id: int, source: str | None
    ) -> Question:
        """Record an animator's answer (Telegram HTML), unless someone answered first.

        Her own answer already recorded (by a bot killed before it said so) is kept as it is.
        """
        recorded = await self.questions.get(question_id)
        if recorded is not None and recorded.answered_by == animator_id and recorded.answer:
            return recorded
        await self.open_question(question_id)
        answer = clean_answer(source or "")
        if not await self.questions.answer(question_id, animator_id, answer, self._clock.now()):
            raise FaqError("already_answered")
        question = await self.questions.get(question_id)
        assert question is not None
        return question

    async def publish(self, question_id: int, theme_id: int) -> Entry:
        """Make an answered question an entry in its language (the asker is never named)."""
        question = await self.questions.get(question_id)
        if question is None or question.answer is None:
            raise FaqError("gone")
        if question.entry_id is not None:
            raise FaqError("already_published")
        version = Version(" ".join(question.text.split())[:MAX_ASKED], question.answer)
        versions = {"fr": None, "en": None, question.language: version}
        entry = await self.add_entry(theme_id, versions["fr"], versions["en"])
        if not await self.questions.link(question_id, entry.id):
            await self.entries.delete(entry.id)
            raise FaqError("already_published")
        return entry

    # -- what someone is typing -------------------------------------------------------------

    async def expect(
        self, user_id: int, kind: str, ref: int | None = None, draft: Any = None
    ) -> None:
        """Remember what the person's next message is for (``draft``: JSON-serialisable)."""
        text = json.dumps(draft, ensure_ascii=False) if draft is not None else None
        await self._inputs.set(user_id, PendingInput(kind, ref, text), self._clock.now())

    async def pending(self, user_id: int, kind: str) -> tuple[int | None, Any]:
        """The row and draft of the pending input ``kind``; FaqError ``stale`` otherwise."""
        pending = await self._inputs.get(user_id)
        if pending is None or pending.kind != kind:
            raise FaqError("stale")
        return pending.ref, json.loads(pending.draft) if pending.draft else None

    async def done(self, user_id: int) -> None:
        """Nothing pending any more."""
        await self._inputs.clear(user_id)

    # -- personal data ----------------------------------------------------------------------

    async def export_personal_data(self, user_id: int) -> dict[str, Any]:
        """The member's questions (with answers) and what they were typing."""
        pending = await self._inputs.get(user_id)
        return {
            "questions": await self.questions.of_member(user_id),
            "typing": {"kind": pending.kind, "text": pending.draft} if pending else None,
        }

    async def erase_personal_data(self, user_id: int) -> None:
        """Delete the member's questions (a published entry stays, unlinked) and inputs."""
        await self.questions.erase(user_id)
