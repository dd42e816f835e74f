"""Drafts, composition, audiences, waiting sends and reports of newsletters and reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FrozenClock, to_iso
from bot.delivery import Content, Draft, Message
from bot.domain.codev.model import GroupDraft, MeetingMode
from bot.domain.newsletter.model import BroadcastKind, LetterFacts, NewsletterError
from bot.domain.segments import Segment, SegmentField
from bot.domain.visio.model import SessionStatus
from bot.seed import Profile, seed_member
from bot.services import Services
from tests.conftest import ANIMATOR_ID
from tests.unit.newsletter.conftest import ARDECHE, DROME

LETTER = BroadcastKind.NEWSLETTER
REMINDER = BroadcastKind.REMINDER
CODEV_GROUP = GroupDraft(
    "Directeurs de projet", "Conduite du changement", 6, MeetingMode.VIDEO, "https://v.fr", "Secret"
)


async def test_a_draft_grows_paragraph_by_paragraph_and_is_kept_in_the_database(
    network: Services,
) -> None:
    letters = network.newsletters
    assert (await letters.draft(ANIMATOR_ID, LETTER)).body == ""
    await letters.add_text(ANIMATOR_ID, LETTER, "Premier &amp; paragraphe")
    await letters.add_text(ANIMATOR_ID, LETTER, "  Second  ")
    draft = await letters.draft(ANIMATOR_ID, LETTER)
    assert draft.body == "Premier &amp; paragraphe\n\nSecond"
    assert (await letters.draft(ANIMATOR_ID, REMINDER)).body == ""
    await letters.clear(ANIMATOR_ID, LETTER)
    assert (await letters.draft(ANIMATOR_ID, LETTER)).body == ""


async def test_empty_and_over_long_text_are_refused_and_the_draft_is_unchanged(
    network: Services,
) -> None:
    letters = network.newsletters
    await letters.add_text(ANIMATOR_ID, REMINDER, "x" * 900)
    with pytest.raises(NewsletterError) as caught:
        await letters.add_text(ANIMATOR_ID, REMINDER, "&amp;" * 101)  # 101 visible characters
    assert (caught.value.code, caught.value.details) == (
        "too_long",
        {"limit": 1000, "length": 1003},
    )
    with pytest.raises(NewsletterError, match="empty_text"):
        await letters.add_text(ANIMATOR_ID, REMINDER, " \n ")
    assert (await letters.draft(ANIMATOR_ID, REMINDER)).body == "x" * 900


async def test_preparing_renders_each_language_and_counts_the_audience_first(
    network: Services,
) -> None:
    letters = network.newsletters
    with pytest.raises(NewsletterError, match="empty_draft"):
        await letters.prepare(ANIMATOR_ID, REMINDER)
    await letters.add_text(ANIMATOR_ID, REMINDER, "Visio demain à {{ network }}")
    await network.deliveries.preferences.set_opted_out(4, "reminder", True)
    await letters.set_segment(ANIMATOR_ID, REMINDER, Segment(SegmentField.TERRITORY, "Ardèche"))

    prepared = await letters.prepare(ANIMATOR_ID, REMINDER)

    assert prepared.member_ids == ARDECHE
    assert (prepared.audience.eligible, prepared.audience.skipped) == (1, {"opted_out": 1})
    [french] = prepared.composition.parts("fr")
    [english] = prepared.composition.parts("en")
    assert french.startswith("<b>🔔 Rappel — Réseau France Services Drôme</b>")
    assert english.startswith("<b>🔔 Reminder — Réseau France Services Drôme</b>")
    assert french.endswith("Visio demain à Réseau France Services Drôme")
    await letters.set_segment(ANIMATOR_ID, REMINDER, Segment(SegmentField.TERRITORY, "Isère"))
    nobody = await letters.prepare(ANIMATOR_ID, REMINDER)
    assert (nobody.member_ids, nobody.audience.eligible) == ((), 0)


async def test_a_letter_tells_newcomers_since_the_last_letter_escaped(
    network: Services, clock: FrozenClock
) -> None:
    letters = network.newsletters
    await letters.add_text(ANIMATOR_ID, LETTER, "Édito")
    first = await letters.prepare(ANIMATOR_ID, LETTER)
    assert "Membre 1 (MFS, Drôme)" in first.composition.parts("fr")[0]
    await _send(network, first.draft)

    clock.advance(timedelta(days=3))
    await seed_member(network, 40, Profile("<b>Zoé</b>", "Mairie & co", "Isère", "DGS"))
    await letters.add_text(ANIMATOR_ID, LETTER, "Édito 2")
    second = await letters.prepare(ANIMATOR_ID, LETTER)
    [part] = second.composition.parts("fr")
    assert "&lt;b&gt;Zoé&lt;/b&gt; (Mairie &amp; co, Isère)" in part
    assert "Membre 1" not in part


async def test_a_letter_announces_sessions_and_counts_codev_activity(
    network: Services, clock: FrozenClock
) -> None:
    await network.visio.cycle.create_oneoff("Accueil des publics", "20/03/2030 14:00")
    letters = network.newsletters
    await letters.add_text(ANIMATOR_ID, LETTER, "Édito")
    part = (await letters.prepare(ANIMATOR_ID, LETTER)).composition.parts("en")[0]
    assert "• Accueil des publics: Wednesday 20 March 2030 at 14:00" in part
    assert "Co-development" not in part

    group = await network.codev.groups.create(ANIMATOR_ID, CODEV_GROUP)
    code, _, _ = await network.codev.groups.new_invite(ANIMATOR_ID, group.id)
    for user_id in DROME:
        await network.codev.groups.use_code(user_id, code)
        await network.codev.groups.accept_charter(user_id, group.id)
    part = (await letters.prepare(ANIMATOR_ID, LETTER)).composition.parts("fr")[0]
    assert "1 groupe de pairs, 3 participant·es, 0 séance tenue à ce jour." in part
    assert CODEV_GROUP.name not in part and CODEV_GROUP.theme not in part


async def test_a_long_letter_is_split_in_every_language(network: Services) -> None:
    letters = network.newsletters
    for number in range(4):
        await letters.add_text(ANIMATOR_ID, LETTER, f"Paragraphe {number} " + "mot " * 400)
    composition = letters.compose(await letters.draft(ANIMATOR_ID, LETTER), LetterFacts())
    assert len(composition.parts("fr")) == len(composition.parts("en")) == 2
    assert composition.most_parts == 2
    assert composition.parts("fr")[1].startswith("Paragraphe 2")


async def test_html_a_template_slipped_through_is_refused_before_sending(
    network: Services,
) -> None:
    letters = network.newsletters
    await letters.add_text(ANIMATOR_ID, REMINDER, "{{ '<br>' | safe }}")
    with pytest.raises(NewsletterError) as caught:
        await letters.prepare(ANIMATOR_ID, REMINDER)
    assert caught.value.code == "html"
    assert caught.value.details["source"] == "reminder.fr.html.j2"


async def test_waiting_broadcasts_are_listed_then_cancelled_and_never_reported(
    network: Services, clock: FrozenClock
) -> None:
    letters = network.newsletters
    await letters.add_text(ANIMATOR_ID, LETTER, "Plus tard")
    draft = await letters.draft(ANIMATOR_ID, LETTER)
    later = clock.now() + timedelta(days=1)
    send_id = await _send(network, draft, due_at=later)
    other = await _send(network, draft, kind=REMINDER)

    [waiting] = await letters.waiting(LETTER)
    assert (waiting.send_id, waiting.due_at, waiting.recipients) == (send_id, later, 6)
    assert await letters.due_reports() == [(send_id, later), (other, clock.now())]
    assert not await letters.cancel(send_id, REMINDER)
    assert await letters.cancel(send_id, LETTER)
    assert not await letters.cancel(send_id, LETTER)
    assert await letters.waiting(LETTER) == []
    assert await letters.due_reports() == [(other, clock.now())]
    assert await letters.claim_report(other)
    assert not await letters.claim_report(other)


async def test_drafts_and_authorship_are_personal_data(network: Services) -> None:
    letters = network.newsletters
    await letters.add_text(ANIMATOR_ID, REMINDER, "Brouillon")
    await letters.add_text(ANIMATOR_ID, LETTER, "Envoyée")
    send_id = await _send(network, await letters.draft(ANIMATOR_ID, LETTER))

    exported = (await network.privacy.export(ANIMATOR_ID))["newsletter"]
    assert [d["body"] for d in exported["drafts"]] == ["Brouillon"]
    assert [s["send_id"] for s in exported["sent"]] == [send_id]

    await network.privacy.erase(ANIMATOR_ID)
    assert (await network.privacy.export(ANIMATOR_ID))["newsletter"] == {"drafts": [], "sent": []}
    broadcast = await letters.broadcast(send_id)
    assert broadcast is not None and broadcast.author_id is None


async def _send(
    services: Services, draft, *, kind: BroadcastKind | None = None, due_at=None
) -> int:
    """Hand a draft to the engine as the /lettre flow does, and start it when due now."""
    kind = kind or draft.kind
    content = Content({"fr": Message(("Lettre",))})
    ids = [*DROME, *ARDECHE, ANIMATOR_ID]
    send_id, _ = await services.deliveries.create_send(
        Draft(kind.value, kind.category, content, draft.user_id, due_at), ids
    )
    await services.newsletters.record_send(send_id, draft)
    if due_at is None:
        await services.db.execute("UPDATE sends SET status = 'done' WHERE id = ?", (send_id,))
    return send_id


async def test_a_letter_tells_vote_results_since_the_last_letter_and_open_votes(
    network: Services, clock: FrozenClock
) -> None:
    await network.visio.cycle.create_oneoff("Numérique", "20/03/2030 14:00")
    await network.visio.cycle.create_oneoff("Mobilité", "27/03/2030 14:00")
    chosen, voting = await network.visio.cycle.upcoming()
    now = clock.now()
    for session, status, voters, closes in (
        (chosen, SessionStatus.SCHEDULED, 7, now - timedelta(days=2)),
        (voting, SessionStatus.VOTING, None, now + timedelta(days=3)),
    ):  # as the monthly cycle leaves them before and after its vote closes
        await network.db.execute(
            "UPDATE visio_sessions SET status = ?, voters = ?, vote_closes_at = ? WHERE id = ?",
            (status.value, voters, to_iso(closes), session.id),
        )
    letters = network.newsletters
    await letters.add_text(ANIMATOR_ID, LETTER, "Édito")

    [part] = (await letters.prepare(ANIMATOR_ID, LETTER)).composition.parts("fr")

    assert "« Numérique », choisi par 7 votants, pour la visio du mercredi 20 mars 2030" in part
    assert "• Numérique : mercredi 20 mars 2030 à 14 h 00" in part
    assert "Mobilité" not in part  # its topic is still being voted on
    assert "Vote en cours pour le sujet de la visio du mercredi 27 mars 2030 à 14 h 00" in part
