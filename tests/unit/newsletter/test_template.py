"""The broadcast templates: escaped, strict, sandboxed, overridable, errors with their line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.newsletter.model import (
    CodevFact,
    EventFact,
    LetterFacts,
    NewMemberFact,
    NewsletterError,
    OpenVoteFact,
    VoteFact,
)
from bot.domain.newsletter.service import letter_context
from bot.domain.newsletter.split import split_html
from bot.domain.newsletter.template import BUILTIN_DIR, LetterTemplates, template_dirs
from bot.i18n import Catalogs, Translator
from bot.sandbox.formatting import format_text

HOSTILE = "<b>x</b> & <script>\"'"
WHEN = datetime(2030, 3, 12, 13, 0, tzinfo=UTC)
FACTS = LetterFacts(
    since=WHEN,
    events=(EventFact(HOSTILE, WHEN),),
    open_votes=(OpenVoteFact(WHEN, WHEN),),
    votes=(VoteFact(HOSTILE, 2, WHEN),),
    new_members=(NewMemberFact(HOSTILE, HOSTILE, HOSTILE), NewMemberFact("Luc", None, None)),
    new_members_total=5,
    codev=CodevFact(1, 1, 0),
)


def context(language: str, facts: LetterFacts = FACTS) -> dict[str, object]:
    t = Translator(Catalogs(), language, ZoneInfo("Europe/Paris"))
    return letter_context(t, HOSTILE, facts)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", ["newsletter", "reminder"])
def test_shipped_templates_escape_everything_and_telegram_accepts_them(
    kind: str, language: str
) -> None:
    templates = LetterTemplates([BUILTIN_DIR])
    values = context(language)
    typed = "Bonjour {{ network }} !\n\n<b>Gras</b> &amp; {{ '<i>' }}"
    text = templates.render_text(typed, values)
    rendered = templates.render(f"{kind}.{language}.html.j2", {**values, "text": text})
    [part] = split_html(rendered.strip())

    shown, entities = format_text(part, "HTML")
    assert shown.count(HOSTILE) >= (6 if kind == "newsletter" else 2)
    assert "Bonjour" in shown and "<i>" in shown
    assert entities[0]["type"] == "bold" and entities[0]["offset"] == 0  # the title
    assert "bold" in [e["type"] for e in entities[1:]]  # the animator's own bold text


def test_an_empty_newsletter_leaves_out_every_section() -> None:
    templates = LetterTemplates([BUILTIN_DIR])
    values = context("fr", LetterFacts())
    rendered = templates.render("newsletter.fr.html.j2", {**values, "text": "Le mot du mois."})
    assert "À venir" not in rendered and "Bienvenue" not in rendered
    assert "Le mot du mois." in rendered and "\n\n\n" not in rendered


def test_the_network_folder_overrides_a_shipped_template(tmp_path: Path) -> None:
    own = tmp_path / "templates" / "newsletter"
    own.mkdir(parents=True)
    (own / "newsletter.fr.html.j2").write_text("<i>Notre lettre</i>\n\n{{ text }}")
    templates = LetterTemplates(template_dirs(tmp_path / "maillage.db"))
    assert templates.render("newsletter.fr.html.j2", {"text": "a < b"}) == (
        "<i>Notre lettre</i>\n\na &lt; b"
    )
    assert "🔔" in templates.render("reminder.fr.html.j2", {"network": "R", "text": "x"})


def test_a_syntax_error_in_a_template_file_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "newsletter.fr.html.j2").write_text("<b>Titre</b>\n\n{% for x in %}\n")
    with pytest.raises(NewsletterError) as caught:
        LetterTemplates([tmp_path]).render("newsletter.fr.html.j2", {})
    assert caught.value.code == "template"
    assert caught.value.details["source"] == "newsletter.fr.html.j2"
    assert caught.value.details["line"] == 3


def test_an_unknown_variable_in_a_template_file_names_it_and_its_line(tmp_path: Path) -> None:
    (tmp_path / "reminder.en.html.j2").write_text("{{ network }}\n{{ text }}\n{{ agenda }}\n")
    with pytest.raises(NewsletterError) as caught:
        LetterTemplates([tmp_path]).render("reminder.en.html.j2", {"network": "R", "text": "t"})
    assert (caught.value.code, caught.value.details) == (
        "template_unknown",
        {"source": "reminder.en.html.j2", "line": 3, "name": "agenda"},
    )


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("Bonjour,\n\nRendez-vous le {{ prochaine_visio }}.", "template_unknown", 3),
        ("Bonjour,\n{% if network %}\nsans fin", "template", 3),
        ("{{ network.__class__.__mro__ }}", "template", 1),
        ("ligne 1\n{{ events[7].title }}", "template", 2),
    ],
)
def test_errors_in_the_animators_text_name_its_line(text: str, code: str, line: int) -> None:
    with pytest.raises(NewsletterError) as caught:
        LetterTemplates([BUILTIN_DIR]).render_text(text, context("fr"))
    assert caught.value.code == code
    assert caught.value.details["source"] == "text"
    assert caught.value.details["line"] == line


def test_a_missing_template_is_said_plainly(tmp_path: Path) -> None:
    with pytest.raises(NewsletterError) as caught:
        LetterTemplates([tmp_path]).render("newsletter.de.html.j2", {})
    assert caught.value.code == "template_missing"


def test_template_code_in_the_typed_text_is_read_as_typed_and_its_values_escaped() -> None:
    typed = (
        "l&#x27;équipe : {{ network|default(&quot;?&quot;) }}{% if 2 &gt; 1 %} &amp; oui{% endif %}"
    )
    text = LetterTemplates([BUILTIN_DIR]).render_text(typed, context("fr"))
    assert text == "l&#x27;équipe : &lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;&#34;&#39; &amp; oui"
