"""How answering a questionnaire looks: the question with its buttons, and the summary.

Pure rendering: catalog texts and (label, payload) button rows, no Telegram calls.
"""

from __future__ import annotations

from babel.dates import format_date

from bot.callback_data import CallbackSpec
from bot.domain.diagnostic.answering import Move, Step
from bot.domain.diagnostic.model import Answer, Campaign
from bot.domain.diagnostic.questionnaire import Question, QuestionKind
from bot.i18n import Translator
from schedules.diagnostic.messages import Button, View

ANSWER = CallbackSpec("dq_ans", "c", "p", "o")
TOGGLE = CallbackSpec("dq_tog", "c", "p", "o", "t", version=2)
"""Tick (``t=1``) or untick (``0``) an option of a multiple choice: what the member saw, so
a question left unredrawn by a crash cannot make a second press undo a tick."""
TOGGLE_V1 = CallbackSpec("dq_tog", "c", "p", "o")
"""The version 1 button (a plain toggle), still accepted on questions shown before."""
NAV = CallbackSpec("dq_nav", "c", "p", "m")
EDIT = CallbackSpec("dq_edit", "c", "p")
LATER = "later"
EDIT_PER_ROW = 7
SUMMARY_QUESTION = 60
SUMMARY_ANSWER = 60


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def short_date(t: Translator, campaign: Campaign) -> str:
    """The campaign's opening day, short (for buttons)."""
    return format_date(campaign.opens_at.astimezone(t.timezone), "medium", locale=t.language)


def answer_text(t: Translator, question: Question, answer: Answer | None) -> str:
    """A stored answer as the member reads it."""
    if answer is None:
        return t("diagnostic.answer.no_answer")
    if answer.dont_know:
        return t("diagnostic.answer.dont_know")
    if answer.text is not None:
        return answer.text
    labels = []
    for option_id in answer.choice:
        index = question.option_index(option_id)
        if index is not None:
            label = question.options[index].label(t.language)
            is_likert = question.kind is QuestionKind.LIKERT
            labels.append(f"{option_id} · {label}" if is_likert else label)
    return ", ".join(labels)


def _option_rows(t: Translator, step: Step, question: Question) -> list[list[Button]]:
    campaign, position = step.campaign.id, step.response.position
    chosen = step.answer.choice if step.answer else ()
    rows = []
    for index, option in enumerate(question.options):
        label = option.label(t.language)
        if question.kind is QuestionKind.LIKERT:
            label = t("diagnostic.answer.likert_button", value=option.id, label=label)
        if question.kind is QuestionKind.MULTIPLE:
            key = "checked" if option.id in chosen else "unchecked"
            rows.append(
                [
                    (
                        t(f"diagnostic.answer.{key}", label=label),
                        TOGGLE.pack(
                            c=campaign, p=position, o=index, t=int(option.id not in chosen)
                        ),
                    )
                ]
            )
            continue
        if option.id in chosen:
            label = t("diagnostic.answer.chosen", label=label)
        rows.append([(label, ANSWER.pack(c=campaign, p=position, o=index))])
    if question.kind is QuestionKind.MULTIPLE:
        rows.append(
            [
                (
                    t("diagnostic.answer.confirm_button"),
                    NAV.pack(c=campaign, p=position, m=Move.CONFIRM),
                )
            ]
        )
    return rows


def question_view(t: Translator, step: Step) -> View:
    """The current question: header with progress, text, hint, current answer, buttons."""
    question = step.question
    assert question is not None
    campaign, position = step.campaign, step.response.position
    questionnaire = campaign.questionnaire
    parts = [
        t(
            "diagnostic.answer.header",
            title=questionnaire.title(t.language),
            number=position + 1,
            total=campaign.size,
            theme=questionnaire.theme(question.theme).title(t.language),
        ),
        "",
        question.text(t.language),
    ]
    if question.kind is QuestionKind.MULTIPLE:
        parts.append(t("diagnostic.answer.multiple_hint", limit=question.max_choices))
    if question.kind is QuestionKind.TEXT:
        parts.append(t("diagnostic.answer.text_hint", limit=question.max_length))
    if step.answer is not None:
        parts += ["", t("diagnostic.answer.current", answer=answer_text(t, question, step.answer))]
    rows = _option_rows(t, step, question)
    if question.dont_know:
        label = t("diagnostic.answer.dont_know_button")
        if step.answer is not None and step.answer.dont_know:
            label = t("diagnostic.answer.chosen", label=label)
        rows.append([(label, NAV.pack(c=campaign.id, p=position, m=Move.DONT_KNOW))])
    navigation = [
        (t("diagnostic.answer.skip_button"), NAV.pack(c=campaign.id, p=position, m=Move.SKIP))
    ]
    if position > 0:
        back = (
            t("diagnostic.answer.back_button"),
            NAV.pack(c=campaign.id, p=position, m=Move.BACK),
        )
        navigation.insert(0, back)
    rows.append(navigation)
    rows.append(
        [(t("diagnostic.answer.later_button"), NAV.pack(c=campaign.id, p=position, m=LATER))]
    )
    return "\n".join(parts), rows


def summary_view(t: Translator, step: Step) -> View:
    """After the last question: thanks, every answer, and a button per question to change it."""
    campaign = step.campaign
    questions = campaign.questionnaire.questions
    answered = sum(1 for q in questions if q.id in step.response.answers)
    lines = [
        t(
            "diagnostic.answer.summary",
            title=campaign.questionnaire.title(t.language),
            answered=answered,
            total=campaign.size,
            closes=t.datetime(campaign.closes_at),
        ),
        "",
    ]
    for number, question in enumerate(questions, start=1):
        answer = answer_text(t, question, step.response.answers.get(question.id))
        lines.append(
            t(
                "diagnostic.answer.summary_line",
                number=number,
                question=shorten(question.text(t.language), SUMMARY_QUESTION),
                answer=shorten(answer, SUMMARY_ANSWER),
            )
        )
    buttons = [
        (t("diagnostic.answer.edit_button", number=i + 1), EDIT.pack(c=campaign.id, p=i))
        for i in range(campaign.size)
    ]
    rows = [buttons[i : i + EDIT_PER_ROW] for i in range(0, len(buttons), EDIT_PER_ROW)]
    return "\n".join(lines), rows


def step_view(t: Translator, step: Step) -> View:
    """The question the member stands on, or the summary."""
    return question_view(t, step) if step.question is not None else summary_view(t, step)
