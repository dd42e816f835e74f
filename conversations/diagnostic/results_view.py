"""How results look: messages (split under Telegram's limit), the chart and the exports."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.domain.diagnostic.chart import ChartText, theme_chart
from bot.domain.diagnostic.export import ExportLabels, responses_csv, summary_csv
from bot.domain.diagnostic.model import Campaign, ExportRow, Participation
from bot.domain.diagnostic.questionnaire import QuestionKind
from bot.domain.diagnostic.results import QuestionResult, Results
from bot.domain.diagnostic.service import Comparison
from bot.i18n import Translator
from schedules.diagnostic.messages import percent

MESSAGE_LIMIT = 3800


def decimal(t: Translator, value: float) -> str:
    """A score with one decimal in the reader's language."""
    return format_decimal(value, "0.0", locale=t.language)


def signed(t: Translator, value: float) -> str:
    """A change with its sign and one decimal."""
    return format_decimal(value, "+0.0;-0.0", locale=t.language)


def pack(lines: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join lines into as few messages as possible, each under ``limit`` characters.

    Every line is whole HTML (its tags closed), so a message never splits inside a tag.
    """
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if current and size + len(line) + 1 > limit:
            messages.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        messages.append("\n".join(current))
    return messages


def _distribution(t: Translator, result: QuestionResult) -> str:
    question = result.question
    if question.kind is QuestionKind.LIKERT:
        parts = [
            t("diagnostic.results.likert_option", value=i + 1, number=n)
            for i, n in enumerate(result.counts)
        ]
    else:
        parts = [
            t(
                "diagnostic.results.option",
                label=option.label(t.language),
                number=n,
                share=percent(t, result.share(n)),
            )
            for option, n in zip(question.options, result.counts, strict=True)
        ]
    if question.dont_know:
        parts.append(t("diagnostic.results.dont_know", number=result.dont_know))
    return " · ".join(parts)


def _question_lines(t: Translator, number: int, result: QuestionResult, private: bool) -> list[str]:
    lines = [
        t("diagnostic.results.question", number=number, question=result.question.text(t.language))
    ]
    if not result.visible:
        return [
            *lines,
            t("diagnostic.results.hidden", answered=result.answered, missing=result.missing),
        ]
    if result.question.kind is QuestionKind.TEXT:
        count = len(result.texts)
        if not count:
            return [*lines, t("diagnostic.results.no_text")]
        if not private:
            return [*lines, t("diagnostic.results.texts_private", count=count)]
        lines.append(t("diagnostic.results.texts", count=count))
        return lines + [t("diagnostic.results.text", text=text) for text in result.texts]
    key = "likert" if result.mean is not None else "choice"
    mean = decimal(t, result.mean) if result.mean is not None else ""
    distribution = _distribution(t, result)
    return [
        *lines,
        t(
            f"diagnostic.results.{key}",
            mean=mean,
            answered=result.answered,
            distribution=distribution,
        ),
    ]


def _theme_line(
    t: Translator, results: Results, theme_id: str, comparison: Comparison | None
) -> str:
    score = results.theme(theme_id)
    assert score is not None
    title = score.theme.title(t.language)
    if score.mean is None:
        return t("diagnostic.results.theme", theme=title)
    change = (
        next((c for c in comparison.changes if c.theme.id == theme_id), None)
        if comparison
        else None
    )
    if change is not None and change.delta is not None and change.before is not None:
        return t(
            "diagnostic.results.theme_change",
            theme=title,
            score=decimal(t, score.mean),
            before=decimal(t, change.before),
            change=signed(t, change.delta),
        )
    return t("diagnostic.results.theme_score", theme=title, score=decimal(t, score.mean))


def results_messages(
    t: Translator,
    campaign: Campaign,
    results: Results,
    participation: Participation,
    comparison: Comparison | None,
    *,
    private: bool,
) -> list[str]:
    """The results as messages; ``private`` (animators) includes the free texts."""
    title = campaign.questionnaire.title(t.language)
    lines = [
        t("diagnostic.results.title", title=title, id=campaign.id),
        t(
            "diagnostic.results.respondents",
            respondents=results.respondents,
            completed=participation.completed,
        ),
    ]
    if not results.visible:
        lines.append(
            t(
                "diagnostic.results.below",
                threshold=results.threshold,
                respondents=results.respondents,
                missing=results.missing,
            )
        )
        return pack(lines)
    if comparison is not None:
        previous = comparison.previous
        lines.append(t("diagnostic.results.comparison", id=previous.id, wave=previous.wave))
    numbers = {r.question.id: n for n, r in enumerate(results.questions, start=1)}
    for theme in campaign.questionnaire.themes:
        lines += ["", _theme_line(t, results, theme.id, comparison)]
        for result in results.questions:
            if result.question.theme == theme.id:
                lines += _question_lines(t, numbers[result.question.id], result, private)
    return pack(lines)


def chart(
    t: Translator, campaign: Campaign, results: Results, comparison: Comparison | None
) -> bytes | None:
    """The per-theme chart (both waves with the change when compared); None if nothing scored."""
    if not results.visible:
        return None
    means = {score.theme.id: score.mean for score in results.themes}
    before = {c.theme.id: c.before for c in comparison.changes} if comparison else {}
    themes = [
        score.theme
        for score in results.themes
        if score.mean is not None or before.get(score.theme.id) is not None
    ]
    if not themes:
        return None
    series = [[means[theme.id] for theme in themes]]
    names = [str(t("diagnostic.results.chart_results"))]
    if comparison is not None:
        series.insert(0, [before.get(theme.id) for theme in themes])
        names = [
            str(t("diagnostic.results.chart_wave", wave=w.wave, id=w.id))
            for w in (comparison.previous, campaign)
        ]
    title = campaign.questionnaire.title(t.language)
    text = ChartText(
        str(t("diagnostic.results.chart_title", title=title, id=campaign.id)),
        str(t("diagnostic.results.chart_axis")),
        tuple(names),
    )
    return theme_chart(
        [theme.title(t.language) for theme in themes],
        series,
        text,
        lambda value: decimal(t, value),
        lambda value: signed(t, value),
    )


def export_labels(t: Translator) -> ExportLabels:
    """Column titles of the exports in the reader's language."""
    return ExportLabels(
        **{name: str(t(f"diagnostic.export.{name}")) for name in ExportLabels.__dataclass_fields__}
    )


def export_files(
    t: Translator, campaign: Campaign, rows: list[ExportRow], results: Results
) -> list[tuple[str, bytes]]:
    """(file name, bytes) of the responses CSV and the summary CSV."""
    labels = export_labels(t)
    stem = f"{campaign.questionnaire.id}_{campaign.id}"
    responses = responses_csv(
        campaign.questionnaire,
        rows,
        anonymous=campaign.anonymous,
        language=t.language,
        labels=labels,
        local_time=lambda instant: instant.astimezone(t.timezone).strftime("%Y-%m-%d %H:%M"),
    )
    summary = summary_csv(results, campaign.questionnaire, t.language, labels)
    return [
        (f"{stem}_{t('diagnostic.export.responses_file')}.csv", responses),
        (f"{stem}_{t('diagnostic.export.summary_file')}.csv", summary),
    ]
