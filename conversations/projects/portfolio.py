"""The animators' portfolio: projects by step, stalled ones, exports (CSV, xlsx) and the funnel."""

from __future__ import annotations

import asyncio
import re

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import MaillageContext
from bot.domain.members import Member, Role
from bot.domain.projects.portfolio import (
    STALLED_WEEKS,
    Columns,
    Portfolio,
    funnel_png,
    portfolio_csv,
    portfolio_xlsx,
)
from bot.i18n import Translator
from conversations.common import acknowledge, member_only, replace_with, unpack_press
from conversations.projects import views
from conversations.visio.replies import fields
from schedules.projects.buttons import EXPORT, MENU

STALLED_SHOWN = 10
FORMATS = ("csv", "xlsx", "png")
PORTFOLIO = re.compile(rf"^{MENU.prefix}:{MENU.version}:portfolio$")


def step_labels(t: Translator, context: MaillageContext) -> list[str]:
    """Each step's label, then the finished projects'."""
    steps = context.services.projects.checklist.steps
    labels = [
        str(t("projects.portfolio.step", number=n, step=s.title(t.language)))
        for n, s in enumerate(steps, start=1)
    ]
    return [*labels, str(t("projects.portfolio.done"))]


def portfolio_text(t: Translator, context: MaillageContext, portfolio: Portfolio) -> str:
    """Counts by step, contributors, and the stalled projects (longest silent first)."""
    counts = [
        t("projects.portfolio.count_line", label=label, number=count)
        for label, count in zip(step_labels(t, context), portfolio.by_step, strict=True)
    ]
    stalled = portfolio.stalled
    silent = [
        t(
            "projects.portfolio.stalled_line",
            title=line.project.title,
            holder=line.holder,
            when=t.datetime(line.project.updated_at),
        )
        for line in stalled[:STALLED_SHOWN]
    ]
    problem = context.services.projects.checklist.problem
    people = t("projects.portfolio.people", count=portfolio.contributors)
    stalled_title = (
        t("projects.portfolio.stalled", count=len(stalled), weeks=STALLED_WEEKS)
        if stalled
        else t("projects.portfolio.none_stalled", weeks=STALLED_WEEKS)
    )
    return views.lines(
        t("projects.portfolio.title"),
        t("projects.portfolio.checklist_problem", problem=problem) if problem else "",
        t("projects.portfolio.totals", count=len(portfolio.lines), people=people),
        *counts,
        stalled_title,
        *silent,
    )


@member_only(Role.ANIMATOR, "projects_portfolio")
async def on_portfolio(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """📊 Portfolio: the counts, and the export buttons."""
    portfolio = await context.services.projects.portfolio(t.language)
    rows = [
        [(t(f"projects.button.export_{f}"), EXPORT.pack(format=f)) for f in FORMATS],
        [(t("projects.button.home"), MENU.pack(item="home"))],
    ]
    await replace_with(update, portfolio_text(t, context, portfolio), rows)


def columns(t: Translator) -> Columns:
    """The spreadsheet's column titles in the animator's language."""
    names = ("id", "title", "holder", "number", "step", "people", "limit", "news", "stalled")
    return Columns(
        tuple(str(t(f"projects.export.{n}")) for n in names),
        str(t("projects.portfolio.done")),
        str(t("projects.export.stalled_mark")),
    )


@member_only(Role.ANIMATOR, "projects_export")
async def on_export(
    update: Update, context: MaillageContext, member: Member, t: Translator
) -> None:
    """The portfolio as a CSV file, an .xlsx workbook or the funnel picture."""
    values = await unpack_press(update, t, EXPORT, fields(format=FORMATS))
    if values is None:
        return
    query = update.callback_query
    assert query is not None
    await acknowledge(query)
    portfolio = await context.services.projects.portfolio(t.language)
    chat = update.effective_chat
    assert chat is not None
    name = str(t("projects.export.filename"))
    kind = values["format"]
    if kind == "png":
        title = str(t("projects.portfolio.funnel"))
        png = await asyncio.to_thread(
            funnel_png, step_labels(t, context), portfolio.reached(), title
        )
        await chat.send_photo(InputFile(png, filename=f"{name}.png"), caption=title)
        return
    data = (
        portfolio_csv(portfolio, columns(t))
        if kind == "csv"
        else portfolio_xlsx(portfolio, columns(t), name)
    )
    caption = t("projects.export.caption", count=len(portfolio.lines))
    await chat.send_document(InputFile(data, filename=f"{name}.{kind}"), caption=caption)


def build() -> list[BaseHandler]:
    """The portfolio and its exports (before the members' menu handler)."""
    return [
        CallbackQueryHandler(on_portfolio, pattern=PORTFOLIO),
        CallbackQueryHandler(on_export, pattern=EXPORT.pattern),
    ]
