"""The portfolio's counts, stalled projects, spreadsheets and funnel."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from bot.clock import FrozenClock
from bot.domain.projects.portfolio import Columns, funnel_png, portfolio_csv, portfolio_xlsx
from bot.services import Services
from tests.unit.projects.conftest import BRUNO, HOLDER, meet_step, proposed

COLUMNS = Columns(tuple("abcdefghi"), "fini", "oui")


async def test_counts_by_step_reached_and_stalled(network: Services, clock: FrozenClock) -> None:
    old = await proposed(network, "+Ancien")
    clock.advance(timedelta(weeks=6, minutes=1))
    moving = await proposed(network, "Récent")
    await meet_step(network, moving)
    await network.projects.validate(900, moving.id, 0)
    await network.projects.team.join(BRUNO, moving.id)
    await network.projects.start(HOLDER, "Brouillon")
    portfolio = await network.projects.portfolio("fr")
    assert portfolio.by_step == (1, 1, 0, 0, 0, 0)
    assert portfolio.reached() == [2, 1, 0, 0, 0, 0]
    assert portfolio.contributors == 1
    assert [line.project.id for line in portfolio.stalled] == [old.id]
    table = portfolio_csv(portfolio, COLUMNS).decode("utf-8-sig").splitlines()
    assert table[0] == "a;b;c;d;e;f;g;h;i"
    assert f"{old.id};'+Ancien;Alice;1;Problème et usagers;0;;" in table[-1] + table[-2]
    sheet = load_workbook(io.BytesIO(portfolio_xlsx(portfolio, COLUMNS, "P"))).active
    assert sheet.title == "P" and sheet.max_row == 3 and sheet["A1"].font.bold
    png = funnel_png(["1", "2", "3", "4", "5", "fini"], portfolio.reached(), "Entonnoir")
    assert png.startswith(b"\x89PNG")
