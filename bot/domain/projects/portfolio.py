"""The animators' portfolio: projects by step, stalled ones, contributors; CSV, xlsx, funnel.

CSV in UTF-8 with a byte-order mark and ``;`` (as the diagnostic and the journal), cells a
spreadsheet would run as a formula defused; the funnel is a matplotlib PNG (Agg canvas).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.styles import Font

from bot.domain.audit import safe_cell
from bot.domain.diagnostic.export import csv_bytes
from bot.domain.projects.checklist import Checklist
from bot.domain.projects.model import Project, ProjectStatus

STALLED_WEEKS = 6
"""A carried project without any news (answer, note, validation) for this long is stalled."""
COLOUR = "#1f4e8c"


@dataclass(frozen=True)
class Line:
    """One project in the portfolio."""

    project: Project
    holder: str
    step: str
    stalled: bool


@dataclass(frozen=True)
class Portfolio:
    """Carried projects, how many stand at each step, and which are stalled."""

    lines: tuple[Line, ...]
    by_step: tuple[int, ...]
    """Active projects at each step, then the finished ones (one more entry)."""
    contributors: int

    @property
    def stalled(self) -> list[Line]:
        """The stalled projects, longest without news first."""
        return sorted((x for x in self.lines if x.stalled), key=lambda x: x.project.updated_at)

    def reached(self) -> list[int]:
        """How many projects reached each step (the funnel), then finished."""
        return [sum(self.by_step[i:]) for i in range(len(self.by_step))]


def build_portfolio(
    projects: Sequence[Project],
    names: dict[int, str],
    checklist: Checklist,
    language: str,
    now: datetime,
) -> Portfolio:
    """The portfolio of ``projects`` (holders' names in ``names``) as of ``now``."""
    limit = now - timedelta(weeks=STALLED_WEEKS)
    steps = len(checklist.steps)
    by_step = [0] * (steps + 1)
    lines = []
    for project in projects:
        done = project.status is ProjectStatus.DONE
        by_step[steps if done else min(project.step, steps)] += 1
        step = checklist.step(project.step)
        lines.append(
            Line(
                project,
                names.get(project.holder_id or 0, ""),
                step.title(language) if step and not done else "",
                not done and project.updated_at < limit,
            )
        )
    total = sum(p.contributors for p in projects)
    return Portfolio(tuple(lines), tuple(by_step), total)


@dataclass(frozen=True)
class Columns:
    """Column titles and the finished-project label, in the animator's language."""

    titles: tuple[str, ...]
    done: str
    stalled: str


def rows(portfolio: Portfolio, columns: Columns) -> list[list[str]]:
    """The table: one row per project, titles first, dates as ISO days."""
    table = [list(columns.titles)]
    for line in portfolio.lines:
        project = line.project
        table.append(
            [
                str(project.id),
                safe_cell(project.title),
                safe_cell(line.holder),
                str(project.step + 1) if line.step else "",
                line.step or columns.done,
                str(project.contributors),
                str(project.max_contributors or ""),
                project.updated_at.date().isoformat(),
                columns.stalled if line.stalled else "",
            ]
        )
    return table


def portfolio_csv(portfolio: Portfolio, columns: Columns) -> bytes:
    """The portfolio as CSV (UTF-8 with BOM, ``;``)."""
    return csv_bytes(rows(portfolio, columns))


def portfolio_xlsx(portfolio: Portfolio, columns: Columns, sheet: str) -> bytes:
    """The portfolio as an .xlsx workbook (one sheet, bold titles, numbers as numbers)."""
    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet[:31]
    for number, row in enumerate(rows(portfolio, columns), start=1):
        page.append([int(c) if number > 1 and c.isdigit() else c for c in row])
    for cell in page[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def funnel_png(labels: Sequence[str], counts: Sequence[int], title: str) -> bytes:
    """Centred horizontal bars, widest first: how many projects reached each step."""
    figure = Figure(figsize=(8, 1.2 + 0.6 * len(labels)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    widest = max([*counts, 1])
    positions = range(len(labels))
    lefts = [(widest - c) / 2 for c in counts]
    axes.barh(positions, counts, left=lefts, color=COLOUR, height=0.7)
    for y, count in zip(positions, counts, strict=True):
        axes.text(widest / 2, y, str(count), va="center", ha="center", color="white", fontsize=10)
    axes.set_yticks(list(positions), labels=list(labels), fontsize=9)
    axes.invert_yaxis()
    axes.set_xticks([])
    axes.set_xlim(0, widest)
    axes.set_title(title, fontsize=11)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
