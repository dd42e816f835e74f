from pathlib import Path

import pytest

from bot.domain.diagnostic.questionnaire import (
    BUILTIN_DIR,
    QuestionKind,
    QuestionnaireError,
    QuestionnaireLibrary,
    parse_questionnaire,
)

GOOD = """
id = "mini"
title = { fr = "Mini", en = "Mini" }
intro = { fr = "Deux questions.", en = "Two questions." }
[scales.agree]
fr = ["a", "b", "c", "d", "e"]
en = ["a", "b", "c", "d", "e"]
[[themes]]
id = "t"
title = { fr = "Thème", en = "Theme" }
[[questions]]
id = "q1"
theme = "t"
kind = "likert"
scale = "agree"
text = { fr = "Question 1", en = "Question 1" }
[[questions]]
id = "q2"
theme = "t"
kind = "multiple"
max = 2
text = { fr = "Question 2", en = "Question 2" }
options = [{ id = "x", fr = "X", en = "X" }, { id = "y", fr = "Y", en = "Y" }]
"""


def test_the_shipped_questionnaires_load_without_problems() -> None:
    library = QuestionnaireLibrary.load([BUILTIN_DIR])
    assert library.problems == ()
    diagnosis = library.get("network_diagnosis")
    assert diagnosis is not None and 15 <= len(diagnosis.questions) <= 25
    assert [t.id for t in diagnosis.themes] == [
        "purpose",
        "offer",
        "functioning",
        "cooperation",
        "tools",
        "expectations",
    ]
    assert {q.theme for q in diagnosis.questions} == {t.id for t in diagnosis.themes}
    assert {q.kind for q in diagnosis.questions} == set(QuestionKind)
    satisfaction = library.get("satisfaction")
    assert satisfaction is not None
    assert [q.kind for q in satisfaction.questions] == [QuestionKind.LIKERT, QuestionKind.TEXT]


def test_a_valid_file_reads_into_questions() -> None:
    mini = parse_questionnaire(GOOD, "mini.toml")
    likert, multiple = mini.questions
    assert [o.id for o in likert.options] == ["1", "2", "3", "4", "5"]
    assert (multiple.max_choices, multiple.option_index("y"), multiple.dont_know) == (2, 1, False)
    assert mini.title("en") == "Mini" and mini.source == GOOD


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('kind = "multiple"', 'kind = "slider"'),
            "mini.toml: question 'q2': unknown kind 'slider'",
        ),
        (
            ("max = 2", "max = 5"),
            "mini.toml: question 'q2': max must be a whole number from 1 to 2",
        ),
        (
            ('theme = "t"\nkind = "likert"', 'theme = "z"\nkind = "likert"'),
            "question 'q1': theme 'z'",
        ),
        (('scale = "agree"', 'scale = "nope"'), "question 'q1': scale 'nope' is not one of"),
        (('id = "q2"', 'id = "q1"'), "mini.toml: question 'q1': this id is used twice"),
        (
            ('text = { fr = "Question 1", en = "Question 1" }', 'text = { fr = "Q" }'),
            "question 'q1': text has no en text",
        ),
        (
            ('[[questions]]\nid = "q1"', '[[questions]]\nid = "Q 1"'),
            "mini.toml: question 1: id must be lower-case",
        ),
        (
            ('{ id = "y", fr = "Y", en = "Y" }', '{ id = "x", fr = "Y", en = "Y" }'),
            "option 'x' is listed twice",
        ),
        (('id = "mini"', 'id = "mini"\ncolour = "red"'), "mini.toml: unknown field(s) ['colour']"),
        (('en = ["a", "b", "c", "d", "e"]', 'en = ["a", "b"]'), "scale 'agree' needs 5 en labels"),
        (('[[questions]]\nid = "q1"', '[[questions]\nid = "q1"'), "mini.toml: not valid TOML"),
    ],
)
def test_each_problem_names_file_question_and_what_is_wrong(
    change: tuple[str, str], message: str
) -> None:
    broken = GOOD.replace(*change, 1)
    assert broken != GOOD
    with pytest.raises(QuestionnaireError) as error:
        parse_questionnaire(broken, "mini.toml")
    assert message in str(error.value)


def test_a_broken_file_is_reported_and_the_others_load(tmp_path: Path) -> None:
    (tmp_path / "a_broken.toml").write_text(GOOD.replace("likert", "slider"), encoding="utf-8")
    (tmp_path / "b_mini.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "c_again.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "d_latin1.toml").write_bytes("id = 'é'".encode("latin-1"))
    library = QuestionnaireLibrary.load([BUILTIN_DIR, tmp_path, tmp_path / "missing"])
    assert set(library.questionnaires) == {"network_diagnosis", "satisfaction", "mini"}
    assert library.problems[0].startswith("a_broken.toml: question 'q1': unknown kind 'slider'")
    assert library.problems[1] == "c_again.toml: id 'mini' is already used"
    assert library.problems[2].startswith("d_latin1.toml: cannot be read as UTF-8 text")
