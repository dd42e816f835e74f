"""SQL of the FAQ: themes, entries and their search index, members' questions, inputs."""

from bot.storage.faq.entries import EntryStore
from bot.storage.faq.questions import QuestionStore

__all__ = ["EntryStore", "QuestionStore"]
