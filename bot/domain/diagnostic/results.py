"""Aggregated results of a campaign, shown only above the anonymity threshold k.

Per question: how many answered (including "je ne sais pas"), the count of each option,
the mean for Likert questions, free texts in random order. A question, and the campaign
as a whole, shows figures only once at least k responses back them; below that the
results say how many more are needed. A theme's score pools the Likert answers of its
visible questions (1 to 5); two waves compare theme by theme.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.diagnostic.model import AnswerCount
from bot.domain.diagnostic.questionnaire import Question, QuestionKind, Questionnaire, Theme


@dataclass(frozen=True)
class QuestionResult:
    """The aggregate of one question."""

    question: Question
    answered: int
    dont_know: int
    counts: tuple[int, ...]
    texts: tuple[str, ...]
    threshold: int

    @property
    def visible(self) -> bool:
        """True when enough responses back the figures."""
        return self.answered >= self.threshold

    @property
    def missing(self) -> int:
        """How many more answers are needed before the figures show."""
        return max(self.threshold - self.answered, 0)

    @property
    def scored(self) -> int:
        """Answers that count in the mean (not "je ne sais pas")."""
        return sum(self.counts) if self.question.kind is QuestionKind.LIKERT else 0

    @property
    def mean(self) -> float | None:
        """Mean on the 1–5 scale for a Likert question with scored answers."""
        if not self.scored:
            return None
        return sum((i + 1) * n for i, n in enumerate(self.counts)) / self.scored

    def share(self, count: int) -> float:
        """``count`` as a share of the answers that are not "je ne sais pas"."""
        base = self.answered - self.dont_know
        return count / base if base else 0.0


@dataclass(frozen=True)
class ThemeScore:
    """A theme's pooled Likert mean over its visible questions (None without any)."""

    theme: Theme
    mean: float | None
    answers: int


@dataclass(frozen=True)
class Results:
    """Everything the results of a campaign show."""

    respondents: int
    threshold: int
    questions: tuple[QuestionResult, ...]
    themes: tuple[ThemeScore, ...]

    @property
    def visible(self) -> bool:
        """True once at least k members answered."""
        return self.respondents >= self.threshold

    @property
    def missing(self) -> int:
        """How many more respondents are needed before anything shows."""
        return max(self.threshold - self.respondents, 0)

    def theme(self, theme_id: str) -> ThemeScore | None:
        """The score of a theme, if this questionnaire has it."""
        return next((score for score in self.themes if score.theme.id == theme_id), None)


@dataclass(frozen=True)
class ThemeChange:
    """One theme's score in the earlier wave and in this one."""

    theme: Theme
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        """After minus before, when both exist."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def _question_result(
    question: Question, counts: list[AnswerCount], texts: list[str], threshold: int
) -> QuestionResult:
    per_option = [0] * len(question.options)
    dont_know = 0
    for count in counts:
        if count.dont_know:
            dont_know += count.count
            continue
        for option_id in count.choice:
            index = question.option_index(option_id)
            if index is not None:
                per_option[index] += count.count
    answered = sum(c.count for c in counts) + len(texts)
    visible_texts = tuple(texts) if answered >= threshold else ()
    return QuestionResult(
        question, answered, dont_know, tuple(per_option), visible_texts, threshold
    )


def compute_results(
    questionnaire: Questionnaire,
    respondents: int,
    threshold: int,
    counts: Iterable[AnswerCount],
    texts: Iterable[tuple[str, str]],
    rng: random.Random | None = None,
) -> Results:
    """Aggregate stored answer counts and texts; free texts come out shuffled."""
    counts_by_question: dict[str, list[AnswerCount]] = {}
    for count in counts:
        counts_by_question.setdefault(count.question_id, []).append(count)
    texts_by_question: dict[str, list[str]] = {}
    for question_id, text in texts:
        texts_by_question.setdefault(question_id, []).append(text)
    shuffle = (rng or random.SystemRandom()).shuffle
    for answers in texts_by_question.values():
        shuffle(answers)
    results = tuple(
        _question_result(
            question,
            counts_by_question.get(question.id, []),
            texts_by_question.get(question.id, []),
            threshold,
        )
        for question in questionnaire.questions
    )
    themes = []
    for theme in questionnaire.themes:
        scored = [
            r for r in results if r.question.theme == theme.id and r.visible and r.mean is not None
        ]
        total = sum(r.scored for r in scored)
        mean = sum((r.mean or 0) * r.scored for r in scored) / total if total else None
        themes.append(ThemeScore(theme, mean, total))
    return Results(respondents, threshold, results, tuple(themes))


def compare(before: Results, after: Results) -> list[ThemeChange]:
    """Theme by theme, the scores of two waves (themes scored in at least one of them)."""
    changes = []
    for score in after.themes:
        earlier = before.theme(score.theme.id)
        before_mean = earlier.mean if earlier is not None and before.visible else None
        after_mean = score.mean if after.visible else None
        if before_mean is not None or after_mean is not None:
            changes.append(ThemeChange(score.theme, before_mean, after_mean))
    return changes
