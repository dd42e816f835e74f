import csv
import io
import random

import matplotlib.image
import pytest

from bot.clock import FrozenClock
from bot.domain.diagnostic.chart import ChartText, theme_chart
from bot.domain.diagnostic.export import ExportLabels, responses_csv, summary_csv
from bot.domain.diagnostic.model import AnswerCount
from bot.domain.diagnostic.questionnaire import BUILTIN_DIR, QuestionnaireLibrary
from bot.domain.diagnostic.results import compare, compute_results
from bot.services import Services
from tests.unit.diagnostic.conftest import answer_satisfaction, launch

LABELS = ExportLabels(*(f"[{name}]" for name in ExportLabels.__dataclass_fields__))
DIAGNOSIS = QuestionnaireLibrary.load([BUILTIN_DIR]).get("network_diagnosis")


def _parse(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


async def test_below_k_nothing_shows_and_the_missing_number_is_said(network: Services, clock):
    campaign = await launch(network, clock)
    for user_id, score in ((1, 5), (2, 4), (3, 4), (4, 2)):
        await answer_satisfaction(network, campaign, user_id, score, f"avis {user_id}")
    results = await network.diagnostics.results(campaign)
    assert (results.respondents, results.visible, results.missing) == (4, False, 1)
    overall, comment = results.questions
    assert (overall.visible, overall.missing, comment.texts) == (False, 1, ())
    assert results.themes[0].mean is None
    await answer_satisfaction(network, campaign, 5, 3, "avis 5")
    results = await network.diagnostics.results(campaign)
    overall, comment = results.questions
    assert results.visible and overall.visible
    assert overall.counts == (0, 1, 1, 2, 1) and overall.mean == pytest.approx(3.6)
    assert sorted(comment.texts) == [f"avis {i}" for i in range(1, 6)]
    assert results.themes[0].mean == pytest.approx(3.6) and results.themes[0].answers == 5


def test_dont_know_counts_as_an_answer_but_not_in_the_mean() -> None:
    counts = [
        AnswerCount("purpose_clear", ("5",), False, 3),
        AnswerCount("purpose_clear", (), True, 2),
        AnswerCount("missions_shared", ("1",), False, 5),
        AnswerCount("tools_used", ("email", "video"), False, 4),
        AnswerCount("tools_used", ("video",), False, 1),
    ]
    results = compute_results(DIAGNOSIS, 5, 5, counts, [])
    by_id = {r.question.id: r for r in results.questions}
    clear = by_id["purpose_clear"]
    assert (clear.answered, clear.dont_know, clear.mean, clear.visible) == (5, 2, 5.0, True)
    assert clear.share(3) == 1.0
    assert by_id["tools_used"].counts[:3] == (4, 0, 5)
    assert by_id["missions_fit"].visible is False
    purpose = results.theme("purpose")
    assert purpose.mean == pytest.approx((3 * 5 + 5 * 1) / 8) and purpose.answers == 8


def test_free_texts_come_out_shuffled() -> None:
    texts = [("ideas", f"idée {i}") for i in range(20)]
    results = compute_results(DIAGNOSIS, 20, 5, [], texts, random.Random(7))
    ideas = next(r for r in results.questions if r.question.id == "ideas")
    assert sorted(ideas.texts) == sorted(t for _, t in texts)
    assert list(ideas.texts) != [t for _, t in texts]


def test_two_waves_compare_theme_by_theme() -> None:
    before = compute_results(DIAGNOSIS, 6, 5, [AnswerCount("rhythm", ("2",), False, 6)], [])
    after = compute_results(
        DIAGNOSIS,
        6,
        5,
        [AnswerCount("rhythm", ("4",), False, 5), AnswerCount("peer_contact", ("3",), False, 6)],
        [],
    )
    changes = {c.theme.id: c for c in compare(before, after)}
    assert set(changes) == {"functioning", "cooperation"}
    assert changes["functioning"].delta == pytest.approx(2.0)
    assert (changes["cooperation"].before, changes["cooperation"].delta) == (None, None)
    hidden = compute_results(DIAGNOSIS, 4, 5, [AnswerCount("rhythm", ("4",), False, 5)], [])
    assert {c.theme.id: c.after for c in compare(before, hidden)} == {"functioning": None}


async def test_csv_exports_parse_back_and_anonymous_ones_carry_no_name(
    network: Services, clock: FrozenClock
) -> None:
    for anonymous in (True, False):
        campaign = await launch(network, clock, anonymous=anonymous)
        for user_id in range(1, 6):
            await answer_satisfaction(network, campaign, user_id, user_id, f"avis; « {user_id} »")
        rows = await network.diagnostics.export_rows(campaign)
        data = responses_csv(
            campaign.questionnaire,
            rows,
            anonymous=anonymous,
            language="fr",
            labels=LABELS,
            local_time=lambda instant: instant.isoformat(),
        )
        table = _parse(data)
        assert len(table) == 6
        if anonymous:
            assert table[0][0] == "[respondent]" and len(table[0]) == 3
            assert "Membre" not in data.decode("utf-8-sig")
            assert len({row[0] for row in table[1:]}) == 5
        else:
            assert table[0][:4] == ["[name]", "[organisation]", "[territory]", "[completed]"]
            assert sorted(row[0] for row in table[1:]) == [f"Membre {i}" for i in range(1, 6)]
        assert sorted(row[-2] for row in table[1:]) == ["1", "2", "3", "4", "5"]
        assert sorted(row[-1] for row in table[1:])[0] == "avis; « 1 »"
        assert table[0][-2].startswith("1. Dans l’ensemble")


def test_summary_csv_hides_questions_below_the_threshold() -> None:
    counts = [
        AnswerCount("purpose_clear", ("4",), False, 5),
        AnswerCount("rhythm", ("2",), False, 2),
    ]
    results = compute_results(DIAGNOSIS, 5, 5, counts, [])
    table = _parse(summary_csv(results, DIAGNOSIS, "fr", LABELS))
    clear = [row for row in table if row[1] == "1"]
    assert [row[5] for row in clear][3:5] == ["4 – Plutôt d’accord", "5 – Tout à fait d’accord"]
    assert clear[3][4:] == ["4,0", "4 – Plutôt d’accord", "5", "100\u00a0%"]
    assert clear[-1][5] == "[dont_know]"
    rhythm = [row for row in table if row[2].startswith("Le rythme")]
    assert rhythm == [
        ["Fonctionnement au quotidien", "10", rhythm[0][2], "2", "", "[hidden]", "", ""]
    ]


def test_the_chart_is_a_png_that_opens() -> None:
    png = theme_chart(
        ["Raison d’être", "Outils"],
        [[3.0, None], [3.5, 2.0]],
        ChartText("Diagnostic", "Score (1 à 5)", ("Vague 1", "Vague 2")),
        lambda v: f"{v:.1f}",
        lambda d: f"{d:+.1f}",
    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert image.shape[0] > 100 and image.shape[1] > 400
    with pytest.raises(ValueError, match="one or two series"):
        theme_chart(["x"], [[1.0]], ChartText("t", "a", ("x", "y")), str, str)
