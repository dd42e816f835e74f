"""What the FAQ shows: home, a theme's entries, one entry, results, questions (text, buttons)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.callback_data import CallbackSpec
from bot.domain.faq import Entry, Question, Theme
from bot.domain.faq.model import PAGE_SIZE
from bot.i18n import Translator
from conversations.faq.buttons import EDIT, ENTRY, HOME, NEW_THEME, PICK, QUESTION, THEME

Button = tuple[str, str]
Rows = list[list[Button]]
LABEL = 60


def paragraphs(*parts: str) -> str:
    """Texts (catalog Markup or checked HTML) as paragraphs, none escaped again."""
    return "\n\n".join(str(part) for part in parts)


def _short(text: str) -> str:
    """A button label: at most ``LABEL`` characters."""
    return text if len(text) <= LABEL else text[: LABEL - 1] + "…"


def entry_label(entry: Entry, language: str) -> str:
    """An entry's question in the reader's language (or the other, marked)."""
    version, shown = entry.version(language)
    marker = "" if shown == language else f" ({shown.upper()})"
    return _short(version.question) + marker


def _pager(rows: Rows, spec: CallbackSpec, page: int, count: int, **keys: str) -> None:
    """‹ › buttons when the items run over several pages."""
    nav = []
    if page > 0:
        nav.append(("‹", spec.pack(**keys, page=page - 1)))
    if (page + 1) * PAGE_SIZE < count:
        nav.append(("›", spec.pack(**keys, page=page + 1)))
    if nav:
        rows.append(nav)


def home_view(
    t: Translator, themes: Sequence[tuple[Theme, int]], page: int, staff: bool, waiting: int
) -> tuple[str, Rows]:
    """Themes as buttons (paged), search and ask; the animators' row under them."""
    shown = themes[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows: Rows = [
        [(t("faq.home.theme", name=th.name(t.language), number=n), THEME.pack(theme=th.id, page=0))]
        for th, n in shown
    ]
    _pager(rows, HOME, page, len(themes), item="home")
    rows.append(
        [
            (t("faq.button.search"), HOME.pack(item="search", page=0)),
            (t("faq.button.ask"), HOME.pack(item="ask", page=0)),
        ]
    )
    if staff:
        rows.append(
            [
                (t("faq.button.add"), HOME.pack(item="add", page=0)),
                (t("faq.button.waiting", number=waiting), HOME.pack(item="waiting", page=0)),
            ]
        )
    text = paragraphs(t("faq.home.title"), t("faq.home.intro" if themes else "faq.home.empty"))
    return text, rows


def theme_view(
    t: Translator, theme: Theme, entries: Sequence[Entry], page: int
) -> tuple[str, Rows]:
    """A theme's entries as buttons, paged, and the way back."""
    shown = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows: Rows = [[(entry_label(e, t.language), ENTRY.pack(entry=e.id))] for e in shown]
    _pager(rows, THEME, page, len(entries), theme=str(theme.id))
    rows.append([(t("faq.button.home"), HOME.pack(item="home", page=0))])
    return t("faq.theme.title", name=theme.name(t.language)), rows


def entry_view(t: Translator, entry: Entry, staff: bool) -> tuple[str, Rows]:
    """An entry in the reader's language (the other one, said so); animators' buttons."""
    version, shown = entry.version(t.language)
    text = paragraphs(t("faq.entry.question", question=version.question), version.answer)
    if shown != t.language:
        text = paragraphs(t(f"faq.entry.only_{shown}"), text)
    rows: Rows = []
    if staff:
        pos = entry.position
        rows += [
            [(t(f"faq.edit.{a}"), EDIT.pack(entry=entry.id, action=a, pos=pos)) for a in row]
            for row in (("fr", "en"), ("up", "down"), ("theme", "del"))
        ]
    rows.append([(t("faq.button.back"), THEME.pack(theme=entry.theme_id, page=0))])
    return text, rows


def results_view(t: Translator, entries: Sequence[Entry]) -> tuple[str, Rows]:
    """Search results as buttons, or how to ask when there are none."""
    rows: Rows = [[(entry_label(e, t.language), ENTRY.pack(entry=e.id))] for e in entries]
    if not entries:
        rows.append([(t("faq.button.ask"), HOME.pack(item="ask", page=0))])
        return t("faq.search.none"), rows
    return t("faq.search.found", count=len(entries)), rows


def pick_view(t: Translator, themes: Sequence[Theme], purpose: str, ref: int, new: bool) -> Rows:
    """Themes to choose from (and a new one when adding)."""
    rows: Rows = [
        [(th.name(t.language), PICK.pack(purpose=purpose, ref=ref, theme=th.id))] for th in themes
    ]
    if new:
        rows.append(
            [(t("faq.button.new_theme"), PICK.pack(purpose=purpose, ref=ref, theme=NEW_THEME))]
        )
    return rows


def question_text(t: Translator, question: Question, asker: str) -> str:
    """A member's question as animators see it (the asker named for them only)."""
    return t("faq.question.notice", name=asker, text=question.text, lang=question.language.upper())


def question_rows(t: Translator, question: Question) -> Rows:
    """The button under a member's question."""
    return [[(t("faq.button.answer"), QUESTION.pack(question=question.id, action="answer"))]]


def waiting_view(t: Translator, questions: Sequence[Question]) -> tuple[str, Rows]:
    """The questions still waiting for an answer, each a button."""
    if not questions:
        return t("faq.question.none_waiting"), []
    rows: Rows = [
        [(_short(q.text), QUESTION.pack(question=q.id, action="show"))] for q in questions[:40]
    ]
    return t("faq.question.waiting", count=len(questions)), rows
