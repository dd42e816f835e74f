"""The FAQ kept by animators: themes, entries in two languages, search, members' questions."""

from bot.domain.faq.model import Entry, FaqError, Question, QuestionStatus, Theme, Version
from bot.domain.faq.service import FaqService

__all__ = ["Entry", "FaqError", "FaqService", "Question", "QuestionStatus", "Theme", "Version"]
