"""Spreadsheet exports for animators: one row per response, and a summary of the results.

CSV in UTF-8 with a byte-order mark and ``;`` separators, which LibreOffice and Excel
open as columns in a French setup; decimals use the language's separator.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from babel.numbers import format_decimal, format_percent

from bot.domain.diagnostic.model import Answer, ExportRow
from bot.domain.diagnostic.questionnaire import Question, QuestionKind, Questionnaire
from bot.domain.diagnostic.results import Results

DELIMITER = ";"
ENCODING = "utf-8-sig"


@dataclass(frozen=True)
class ExportLabels:
    """Column titles and fixed cell texts, in the animator's language."""

    respondent: str
    name: str
    organisation: str
    territory: str
    completed: str
    dont_know: str
    theme: str
    number: str
    question: str
    answers: str
    mean: str
    option: str
    count: str
    share: str
    hidden: str
    free_text: str


def csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    """A spreadsheet file: UTF-8 with a byte-order mark, ``;`` between cells, CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode(ENCODING)


def _cell(question: Question, answer: Answer | None, language: str, labels: ExportLabels) -> str:
    if answer is None:
        return ""
    if answer.dont_know:
        return labels.dont_know
    if answer.text is not None:
        return answer.text
    if question.kind is QuestionKind.LIKERT:
        return " | ".join(answer.choice)
    indexes = [question.option_index(option_id) for option_id in answer.choice]
    return " | ".join(question.options[i].label(language) for i in indexes if i is not None)


def responses_csv(
    questionnaire: Questionnaire,
    rows: Sequence[ExportRow],
    *,
    anonymous: bool,
    language: str,
    labels: ExportLabels,
    local_time: Callable[[datetime], str],
) -> bytes:
    """One row per response: a pseudonym (anonymous) or the member's profile, then answers.

    Likert answers are the number 1–5; anonymous exports carry no name and no time.
    """
    questions = questionnaire.questions
    header = (
        [labels.respondent]
        if anonymous
        else [labels.name, labels.organisation, labels.territory, labels.completed]
    )
    header += [f"{n}. {q.text(language)}" for n, q in enumerate(questions, start=1)]
    table = [header]
    for row in rows:
        who = (
            [row.pseudonym]
            if anonymous
            else [
                row.name or "",
                row.organisation or "",
                row.territory or "",
                local_time(row.completed_at) if row.completed_at else "",
            ]
        )
        table.append(who + [_cell(q, row.answers.get(q.id), language, labels) for q in questions])
    return csv_bytes(table)


def summary_csv(
    results: Results, questionnaire: Questionnaire, language: str, labels: ExportLabels
) -> bytes:
    """One row per question and option: count and share; the mean for Likert questions.

    Questions below the threshold show only that they are hidden.
    """

    def option_label(question: Question, index: int) -> str:
        label = question.options[index].label(language)
        return f"{index + 1} – {label}" if question.kind is QuestionKind.LIKERT else label

    table = [
        [
            labels.theme,
            labels.number,
            labels.question,
            labels.answers,
            labels.mean,
            labels.option,
            labels.count,
            labels.share,
        ]
    ]
    for number, result in enumerate(results.questions, start=1):
        question = result.question
        lead = [
            questionnaire.theme(question.theme).title(language),
            str(number),
            question.text(language),
            str(result.answered),
        ]
        if not result.visible or not results.visible:
            table.append([*lead, "", labels.hidden, "", ""])
            continue
        if question.kind is QuestionKind.TEXT:
            table.append([*lead, "", labels.free_text, str(result.answered - result.dont_know), ""])
        mean = "" if result.mean is None else format_decimal(result.mean, "0.0", locale=language)
        for index, count in enumerate(result.counts):
            share = format_percent(result.share(count), locale=language)
            table.append([*lead, mean, option_label(question, index), str(count), share])
        if question.dont_know:
            table.append([*lead, mean, labels.dont_know, str(result.dont_know), ""])
    return csv_bytes(table)
