"""Animators: project ideas from the diagnosis, the impact wave, and its report (phase 3)."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.diagnostic.model import DiagnosticError
from bot.domain.members import Member, Role
from bot.domain.projects import Project, ProjectError
from bot.domain.projects.impact import IMPACT_DAYS, ImpactReport
from bot.i18n import Translator
from conversations.common import member_only, replace_with
from conversations.diagnostic.results_view import decimal, signed
from conversations.projects import views
from conversations.projects.asking import refuse
from conversations.visio.replies import pressed_row
from schedules.diagnostic.jobs import launch_campaign
from schedules.projects.buttons import IDEA, MENU, WAVE

SHOWN = 10
IDEAS = re.compile(rf"^{MENU.prefix}:{MENU.version}:(ideas|impact|report)$")


def _back(t: Translator) -> views.Rows:
    return [
        [
            (t("projects.button.impact"), MENU.pack(item="impact")),
            (t("projects.button.report"), MENU.pack(item="report")),
        ],
        [(t("projects.button.home"), MENU.pack(item="home"))],
    ]


async def ideas_page(context: MaillageContext, t: Translator) -> tuple[str, views.Rows]:
    """The weakest themes of the latest closed diagnosis, each a project idea."""
    ideas = await context.services.projects.impact.ideas()
    if ideas is None:
        return str(t("projects.ideas.none")), _back(t)
    campaign = ideas.campaign
    lines = [
        t("projects.ideas.line", theme=s.theme.title(t.language), mean=decimal(t, s.mean or 0))
        for s in ideas.themes
    ]
    rows = [
        [
            (
                t("projects.button.idea", theme=s.theme.title(t.language)),
                IDEA.pack(campaign=campaign.id, theme=s.theme.id),
            )
        ]
        for s in ideas.themes
    ]
    title = campaign.questionnaire.title(t.language)
    text = views.lines(t("projects.ideas.title", title=title, wave=campaign.wave), *lines)
    return text, rows + _back(t)


async def impact_page(context: MaillageContext, t: Translator) -> tuple[str, views.Rows]:
    """What the impact wave would be, with the button that launches it."""
    impact = context.services.projects.impact
    baseline = await impact.baseline()
    if baseline is None:
        return str(t("projects.impact.no_baseline")), _back(t)
    title = baseline.questionnaire.title(t.language)
    follow_up = await impact.follow_up(baseline)
    if follow_up is not None:
        text = t("projects.impact.launched", title=title, wave=follow_up.wave)
        return str(text), _back(t)
    text = t("projects.impact.confirm", title=title, wave=baseline.wave + 1, days=IMPACT_DAYS)
    rows = [[(t("projects.button.launch"), WAVE.pack(campaign=baseline.id))], *_back(t)]
    return str(text), rows


def _project_line(t: Translator, context: MaillageContext, project: Project) -> str:
    step = views.step_line(t, context.services.projects, project)
    return str(t("projects.report.project", title=project.title, step=step))


def report_text(t: Translator, context: MaillageContext, report: ImpactReport) -> str:
    """Each theme's change between the waves, with the projects seeded on it underneath."""
    lines = [
        t(
            "projects.report.title",
            title=report.after.questionnaire.title(t.language),
            before=report.before.wave,
            after=report.after.wave,
        )
    ]
    for change in report.changes:
        before = decimal(t, change.before) if change.before is not None else "–"
        after = decimal(t, change.after) if change.after is not None else "–"
        delta = signed(t, change.delta) if change.delta is not None else "–"
        theme = change.theme.title(t.language)
        lines.append(
            t("projects.report.theme", theme=theme, before=before, after=after, delta=delta)
        )
        seeded = report.by_theme.get(change.theme.id, ())
        lines += [_project_line(t, context, p) for p in seeded[:SHOWN]]
    lines.append(t("projects.report.others", count=len(report.others)))
    lines += [_project_line(t, context, p) for p in report.others[:SHOWN]]
    return views.lines(*lines)


@member_only(Role.ANIMATOR, "projects_impact")
async def on_page(update: Update, context: MaillageContext, member: Member, t: Translator) -> None:
    """🧭 Ideas, 🔁 impact wave, 📈 impact report."""
    query = update.callback_query
    assert query is not None and query.data is not None
    item = query.data.rsplit(":", 1)[-1]
    if item == "ideas":
        await replace_with(update, *await ideas_page(context, t))
    elif item == "impact":
        await replace_with(update, *await impact_page(context, t))
    else:
        report = await context.services.projects.impact.report()
        text = report_text(t, context, report) if report else str(t("projects.report.none"))
        await replace_with(update, text, _back(t))


@member_only(Role.ANIMATOR, "projects_wave")
async def on_launch(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """✅ Launch: the same questionnaire again to the same segment, as the next wave."""
    impact = context.services.projects.impact
    pressed = await pressed_row(
        update, t, WAVE, "campaign", context.services.diagnostics.campaigns.find
    )
    if pressed is None:
        return
    try:
        request = await impact.wave_request(pressed[1].id, member.user_id)
        campaign = await launch_campaign(context.application, request)
    except ProjectError as error:
        await refuse(update, t, error)
        return
    except DiagnosticError as error:
        await refuse(update, t, ProjectError("wave_refused", reason=error.code))
        return
    text = t(
        "projects.impact.started",
        title=campaign.questionnaire.title(t.language),
        wave=campaign.wave,
        closes=t.datetime(campaign.closes_at),
    )
    await replace_with(update, str(text), _back(t))


def build() -> list[BaseHandler]:
    """The animators' ideas, impact wave and report pages."""
    return [
        CallbackQueryHandler(on_page, pattern=IDEAS),
        CallbackQueryHandler(on_launch, pattern=WAVE.pattern),
    ]
