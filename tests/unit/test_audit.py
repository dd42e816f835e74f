"""The audit log: whom an action was about in its own column, erased with the person; the
journal export's periods, typed ranges and spreadsheet."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FrozenClock
from bot.domain.audit import (
    JournalLabels,
    JournalRangeError,
    JournalRow,
    Period,
    Span,
    journal_csv,
    parse_span,
    period_span,
)
from bot.domain.members import Role
from bot.services import Services
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.migrations import MIGRATIONS, migrate
from tests.conftest import ANIMATOR_ID, register


async def test_older_rows_get_their_target_out_of_the_text(
    tmp_path: Path, clock: FrozenClock
) -> None:
    db = await Database.open(tmp_path / "a.db")
    try:
        index = next(i for i, m in enumerate(MIGRATIONS) if m.name == "0012_audit_target")
        await migrate(db, clock, MIGRATIONS[:index])
        old_rows = [
            (2, "role:7731004:animator", 0, ""),
            (900, "role_changed", 1, "7731004:member->facilitator"),
            (500, "codev_removed", 1, "group:3 member:7731004"),
            (500, "codev_claimed", 1, "group:3"),
            (2, "roles", 0, ""),
        ]
        for user_id, action, allowed, detail in old_rows:
            await db.execute(
                "INSERT INTO audit_log (at, user_id, action, allowed, detail)"
                " VALUES ('2030-01-01T00:00:00+00:00', ?, ?, ?, ?)",
                (user_id, action, allowed, detail),
            )
        assert await migrate(db, clock) == [m.name for m in MIGRATIONS[index:]]
        rows = await db.fetchall(
            "SELECT user_id, action, detail, target_id FROM audit_log ORDER BY id"
        )
        assert [tuple(r) for r in rows] == [
            (2, "role_change", "animator", 7731004),
            (900, "role_changed", "member->facilitator", 7731004),
            (500, "codev_removed", "group:3", 7731004),
            (500, "codev_claimed", "group:3", None),
            (2, "roles", "", None),
        ]
    finally:
        await db.close()


async def test_a_role_change_names_its_target_in_a_column_erased_with_them(
    services: Services,
) -> None:
    await register(services, ANIMATOR_ID, "Anne")
    await register(services, 7, "Bruno")
    await register(services, 8, "Chloé")
    await services.members.change_role(7, 8, Role.ANIMATOR)  # refused
    await services.members.change_role(ANIMATOR_ID, 8, Role.FACILITATOR)
    entries = await services.audit.recent()
    assert {(e.user_id, e.action, e.allowed, e.detail, e.target_id) for e in entries} == {
        (7, "role_change", False, "animator", 8),
        (ANIMATOR_ID, "role_change", True, "facilitator", 8),
        (ANIMATOR_ID, "role_changed", True, "member->facilitator", 8),
    }
    exported = (await services.privacy.export(8))["audit"]
    assert [(e["as"], e["action"], e["allowed"]) for e in exported] == [
        ("target", "role_change", False),
        ("target", "role_change", True),
        ("target", "role_changed", True),
    ]
    assert [e["as"] for e in (await services.privacy.export(7))["audit"]] == ["actor"]

    await services.privacy.erase(8)
    entries = await services.audit.recent()
    assert len(entries) == 3 and all(e.target_id is None for e in entries)
    assert {e.user_id for e in entries} == {7, ANIMATOR_ID}
    await services.privacy.erase(7)
    assert {e.user_id for e in await services.audit.recent()} == {None, ANIMATOR_ID}


def test_typed_ranges_are_days_of_the_network_both_included() -> None:
    paris = ZoneInfo("Europe/Paris")
    span = parse_span("2026-11-01 2026-11-30", paris)
    assert span.start == datetime(2026, 11, 1, tzinfo=paris)
    assert span.end == datetime(2026, 12, 1, tzinfo=paris)
    assert parse_span("01/11/2026 au 30/11/2026", paris) == span
    one_day = parse_span("2026-07-14", paris)
    assert (one_day.start, one_day.end) == (
        datetime(2026, 7, 14, tzinfo=paris),
        datetime(2026, 7, 15, tzinfo=paris),
    )
    for text, code in (
        ("hier", "unparseable"),
        ("2026-02-30 2026-03-01", "unparseable"),
        ("2026-11-01 2026-11-30 2026-12-01", "unparseable"),
        ("2026-11-01 et 2026-11-30", "unparseable"),
        ("2026-11-30 2026-11-01", "reversed"),
    ):
        with pytest.raises(JournalRangeError) as error:
            parse_span(text, paris)
        assert error.value.code == code, text


def test_periods_end_now_and_twelve_months_are_calendar_months() -> None:
    now = datetime(2030, 3, 31, 12, tzinfo=UTC)
    assert period_span(Period.WEEK, now).start == datetime(2030, 3, 24, 12, tzinfo=UTC)
    assert period_span(Period.MONTH, now).start == datetime(2030, 3, 1, 12, tzinfo=UTC)
    assert period_span(Period.YEAR, now).start == datetime(2029, 3, 31, 12, tzinfo=UTC)
    assert period_span(Period.ALL, now) == Span(None, None)


def test_the_csv_has_a_bom_semicolons_local_times_and_no_formulas() -> None:
    labels = JournalLabels(
        "Date",
        "Id",
        "Nom",
        "Action",
        "Décision",
        "Cible",
        "Nom cible",
        "Détail",
        "autorisée",
        "refusée",
    )
    entry = AuditEntry(datetime(2030, 7, 1, 8, tzinfo=UTC), 5, "roles", False, "", 6)
    rows = [JournalRow(entry, '=HYPERLINK("x")', 'Zoé; "la" cible')]
    data = journal_csv(rows, labels, ZoneInfo("Europe/Paris"))
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Date;Id;Nom;Action;Décision;Cible;Nom cible;Détail"
    assert (
        lines[1]
        == '2030-07-01 10:00:00;5;"\'=HYPERLINK(""x"")";roles;refusée;6;"Zoé; ""la"" cible";'
    )
