"""The FAQ's vocabulary: themes, entries in two languages, members' questions, refusals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

LANGUAGES = ("fr", "en")
MAX_THEME = 60
MAX_QUESTION = 200
MAX_ANSWER = 3000
"""Visible characters of an answer: with its question it fits in one Telegram message."""
MAX_ASKED = 1000
"""Characters of a question a member asks the animators."""
MAX_SEARCH = 100
PAGE_SIZE = 8


class FaqError(ValueError):
    """A refusal the member is told about: ``code`` names the catalog key, ``params`` fill it."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class QuestionStatus(StrEnum):
    """A member's question: waiting for an animator, or answered (once)."""

    WAITING = "waiting"
    ANSWERED = "answered"


@dataclass(frozen=True)
class Theme:
    """A group of entries, named in both languages."""

    id: int
    name_fr: str
    name_en: str
    position: int

    def name(self, language: str) -> str:
        """The theme's name in ``language``."""
        return self.name_en if language == "en" else self.name_fr


@dataclass(frozen=True)
class Version:
    """One language's question (plain text) and answer (Telegram HTML)."""

    question: str
    answer: str


@dataclass(frozen=True)
class Entry:
    """A question with its answer, in French and/or English, at a place in its theme."""

    id: int
    theme_id: int
    position: int
    fr: Version | None
    en: Version | None

    def version(self, language: str) -> tuple[Version, str]:
        """The version in ``language``, else the other one; with the language shown.

        An entry always has at least one version (the service refuses one without any).
        """
        own, other = (self.en, self.fr) if language == "en" else (self.fr, self.en)
        if own is not None:
            return own, language
        assert other is not None
        return other, "fr" if language == "en" else "en"


@dataclass(frozen=True)
class Question:
    """A question a member asked the animators, and its answer once given."""

    id: int
    user_id: int | None
    language: str
    text: str
    asked_at: datetime
    status: QuestionStatus
    answered_by: int | None = None
    answer: str | None = None
    answered_at: datetime | None = None
    entry_id: int | None = None
