"""Questionnaires as data: TOML files in French and English, validated when loaded.

A file declares ``id``, ``title``, ``intro``, optional named Likert ``scales`` (five labels
per language), ``themes`` and ``questions``. Question kinds: ``likert`` (1–5 on a scale),
``single`` and ``multiple`` (options; ``max`` choices for multiple) and ``text``
(``max_length`` characters). ``dont_know`` offers "je ne sais pas" (file default, then
per question). Every problem names the file, the question and what is wrong; a bad file
is reported and left out, the others load.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.config import SUPPORTED_LANGUAGES

logger = logging.getLogger(__name__)

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "questionnaires"
LIKERT_POINTS = 5
DEFAULT_TEXT_LENGTH = 500
MAX_TEXT_LENGTH = 1000
MAX_QUESTIONS = 40
MAX_OPTIONS = 12
MAX_LABEL = 60
MAX_QUESTION_TEXT = 600
_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_TOP_KEYS = {"id", "title", "intro", "dont_know", "scales", "themes", "questions"}
_QUESTION_KEYS = {
    "id",
    "theme",
    "kind",
    "text",
    "scale",
    "options",
    "max",
    "max_length",
    "dont_know",
}


class QuestionKind(StrEnum):
    """How a question is answered."""

    LIKERT = "likert"
    SINGLE = "single"
    MULTIPLE = "multiple"
    TEXT = "text"


@dataclass(frozen=True)
class Localized:
    """One text in every supported language."""

    texts: Mapping[str, str]

    def __call__(self, language: str) -> str:
        """The text in ``language`` (French if that language is missing)."""
        return self.texts.get(language) or self.texts["fr"]


@dataclass(frozen=True)
class Option:
    """A possible answer; Likert options are ``1``…``5``."""

    id: str
    label: Localized


@dataclass(frozen=True)
class Theme:
    """A group of questions, scored together on the chart."""

    id: str
    title: Localized


@dataclass(frozen=True)
class Question:
    """One question of a questionnaire."""

    id: str
    theme: str
    kind: QuestionKind
    text: Localized
    options: tuple[Option, ...]
    max_choices: int
    max_length: int
    dont_know: bool

    @property
    def is_choice(self) -> bool:
        """True when answered with buttons (Likert, single or multiple choice)."""
        return self.kind is not QuestionKind.TEXT

    def option_index(self, option_id: str) -> int | None:
        """Position of the option ``option_id``, None if it is not one."""
        return next((i for i, o in enumerate(self.options) if o.id == option_id), None)


@dataclass(frozen=True)
class Questionnaire:
    """A validated questionnaire and the TOML text it was read from."""

    id: str
    title: Localized
    intro: Localized
    themes: tuple[Theme, ...]
    questions: tuple[Question, ...]
    source: str

    def theme(self, theme_id: str) -> Theme:
        """The theme called ``theme_id``."""
        return next(theme for theme in self.themes if theme.id == theme_id)


class QuestionnaireError(ValueError):
    """A questionnaire file is malformed; the message names file, question and problem."""


class TomlReader:
    """Validation helpers for TOML data files (questionnaires, checklists).

    Each raises QuestionnaireError with the file and the place being read named.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.where = ""

    def fail(self, problem: str) -> QuestionnaireError:
        """The error to raise, naming the file and the place being read."""
        place = f"{self.name}: {self.where}: " if self.where else f"{self.name}: "
        return QuestionnaireError(place + problem)

    def ident(self, value: Any, what: str) -> str:
        """An identifier: lower-case letters, digits or _."""
        if not isinstance(value, str) or not _ID.match(value):
            raise self.fail(f"{what} must be lower-case letters, digits or _ (got {value!r})")
        return value

    def localized(self, value: Any, what: str, limit: int) -> Localized:
        """A text per language, each at most ``limit`` characters."""
        if not isinstance(value, Mapping):
            raise self.fail(f'{what} needs a text per language: {{ fr = "…", en = "…" }}')
        texts: dict[str, str] = {}
        for language in SUPPORTED_LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                raise self.fail(f"{what} has no {language} text")
            if len(text) > limit:
                raise self.fail(f"{what} in {language} is over {limit} characters")
            texts[language] = text.strip()
        unknown = set(value) - set(SUPPORTED_LANGUAGES)
        if unknown:
            raise self.fail(f"{what}: unknown language(s) {sorted(unknown)}")
        return Localized(texts)

    def integer(self, value: Any, what: str, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high``."""
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.fail(f"{what} must be a whole number from {low} to {high} (got {value!r})")
        return value

    def boolean(self, value: Any, what: str) -> bool:
        """True or false."""
        if not isinstance(value, bool):
            raise self.fail(f"{what} must be true or false (got {value!r})")
        return value


def _scales(reader: TomlReader, raw: Any) -> dict[str, tuple[Option, ...]]:
    if not isinstance(raw, Mapping):
        raise reader.fail("scales must be a table of named scales")
    scales: dict[str, tuple[Option, ...]] = {}
    for name, labels in raw.items():
        reader.ident(name, "a scale name")
        if not isinstance(labels, Mapping):
            raise reader.fail(f"scale {name!r} needs {LIKERT_POINTS} labels per language")
        for language in SUPPORTED_LANGUAGES:
            texts = labels.get(language)
            if not isinstance(texts, list) or len(texts) != LIKERT_POINTS:
                raise reader.fail(f"scale {name!r} needs {LIKERT_POINTS} {language} labels")
        scales[name] = tuple(
            Option(
                str(point + 1),
                reader.localized(
                    {lang: labels[lang][point] for lang in SUPPORTED_LANGUAGES},
                    f"scale {name!r} label {point + 1}",
                    MAX_LABEL,
                ),
            )
            for point in range(LIKERT_POINTS)
        )
    return scales


def _themes(reader: TomlReader, raw: Any) -> tuple[Theme, ...]:
    if not isinstance(raw, list) or not raw:
        raise reader.fail("themes: at least one [[themes]] entry is needed")
    themes: list[Theme] = []
    for entry in raw:
        if not isinstance(entry, Mapping):
            raise reader.fail("each [[themes]] entry must be a table")
        theme_id = reader.ident(entry.get("id"), "a theme id")
        if any(theme.id == theme_id for theme in themes):
            raise reader.fail(f"theme {theme_id!r} is defined twice")
        themes.append(
            Theme(theme_id, reader.localized(entry.get("title"), f"theme {theme_id!r}", MAX_LABEL))
        )
    return tuple(themes)


def _options(reader: TomlReader, raw: Any) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_OPTIONS:
        raise reader.fail(f"options: give 2 to {MAX_OPTIONS} options")
    options: list[Option] = []
    for entry in raw:
        if not isinstance(entry, Mapping):
            raise reader.fail('each option is { id = "…", fr = "…", en = "…" }')
        option_id = reader.ident(entry.get("id"), "an option id")
        if any(option.id == option_id for option in options):
            raise reader.fail(f"option {option_id!r} is listed twice")
        labels = {key: value for key, value in entry.items() if key != "id"}
        options.append(
            Option(option_id, reader.localized(labels, f"option {option_id!r}", MAX_LABEL))
        )
    return tuple(options)


def _question(
    reader: TomlReader,
    raw: Mapping[str, Any],
    themes: tuple[Theme, ...],
    scales: dict[str, tuple[Option, ...]],
    dont_know: bool,
) -> Question:
    unknown = set(raw) - _QUESTION_KEYS
    if unknown:
        raise reader.fail(f"unknown field(s) {sorted(unknown)}")
    theme = raw.get("theme")
    if theme not in {t.id for t in themes}:
        raise reader.fail(f"theme {theme!r} is not one of the [[themes]]")
    try:
        kind = QuestionKind(raw.get("kind"))
    except ValueError:
        kinds = ", ".join(k.value for k in QuestionKind)
        raise reader.fail(f"unknown kind {raw.get('kind')!r} (expected {kinds})") from None
    options: tuple[Option, ...] = ()
    max_choices, max_length = 1, 0
    if kind is QuestionKind.LIKERT:
        if raw.get("scale") not in scales:
            raise reader.fail(f"scale {raw.get('scale')!r} is not one of the [scales]")
        options = scales[raw["scale"]]
    elif kind is QuestionKind.TEXT:
        max_length = reader.integer(
            raw.get("max_length", DEFAULT_TEXT_LENGTH), "max_length", 1, MAX_TEXT_LENGTH
        )
    else:
        options = _options(reader, raw.get("options"))
        if kind is QuestionKind.MULTIPLE:
            max_choices = reader.integer(raw.get("max", len(options)), "max", 1, len(options))
    return Question(
        id=raw["id"],
        theme=theme,
        kind=kind,
        text=reader.localized(raw.get("text"), "text", MAX_QUESTION_TEXT),
        options=options,
        max_choices=max_choices,
        max_length=max_length,
        dont_know=reader.boolean(raw.get("dont_know", dont_know), "dont_know"),
    )


def parse_questionnaire(source: str, name: str) -> Questionnaire:
    """Read and validate a questionnaire's TOML text; ``name`` is used in error messages."""
    reader = TomlReader(name)
    try:
        raw = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise reader.fail(f"not valid TOML: {error}") from None
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise reader.fail(f"unknown field(s) {sorted(unknown)}")
    questionnaire_id = reader.ident(raw.get("id"), "id")
    title = reader.localized(raw.get("title"), "title", MAX_LABEL)
    intro = reader.localized(raw.get("intro"), "intro", MAX_QUESTION_TEXT)
    dont_know = reader.boolean(raw.get("dont_know", False), "dont_know")
    scales = _scales(reader, raw.get("scales", {}))
    themes = _themes(reader, raw.get("themes"))
    entries = raw.get("questions")
    if not isinstance(entries, list) or not 1 <= len(entries) <= MAX_QUESTIONS:
        raise reader.fail(f"questions: give 1 to {MAX_QUESTIONS} [[questions]]")
    questions: list[Question] = []
    for number, entry in enumerate(entries, start=1):
        reader.where = f"question {number}"
        if not isinstance(entry, Mapping):
            raise reader.fail("must be a table")
        question_id = reader.ident(entry.get("id"), "id")
        reader.where = f"question {question_id!r}"
        if any(q.id == question_id for q in questions):
            raise reader.fail("this id is used twice")
        questions.append(_question(reader, entry, themes, scales, dont_know))
    return Questionnaire(questionnaire_id, title, intro, themes, tuple(questions), source)


def _read(path: Path) -> Questionnaire:
    try:
        source = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QuestionnaireError(f"{path.name}: cannot be read as UTF-8 text ({error})") from None
    return parse_questionnaire(source, path.name)


@dataclass(frozen=True)
class QuestionnaireLibrary:
    """The questionnaires that loaded, by id, and one line per file that did not."""

    questionnaires: Mapping[str, Questionnaire]
    problems: tuple[str, ...]

    @classmethod
    def load(cls, directories: Iterable[Path]) -> QuestionnaireLibrary:
        """Every ``*.toml`` of the directories in order; the first file wins an id."""
        found: dict[str, Questionnaire] = {}
        problems: list[str] = []
        for directory in directories:
            for path in sorted(directory.glob("*.toml")) if directory.is_dir() else []:
                try:
                    questionnaire = _read(path)
                    if questionnaire.id in found:
                        raise QuestionnaireError(
                            f"{path.name}: id {questionnaire.id!r} is already used"
                        )
                except QuestionnaireError as error:
                    logger.error("questionnaire left out: %s", error)
                    problems.append(str(error))
                    continue
                found[questionnaire.id] = questionnaire
        return cls(found, tuple(problems))

    def get(self, questionnaire_id: str) -> Questionnaire | None:
        """The questionnaire with this id, if it loaded."""
        return self.questionnaires.get(questionnaire_id)
