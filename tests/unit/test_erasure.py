"""Erasure leaves no personal trace: every column of every table is scanned afterwards.

One member, Zoé, touches every feature (consent refusal, diagnostic answers in a named
campaign, visio topics, votes and answers, codev as a member and a client then as a
facilitator, newsletters as an animator, a project she holds and one she joins and
validates, refusals, deliveries, conversation states…), is
erased, and the whole database is searched for her id, her names and every text she typed.
The anonymous aggregates (counts) must stay.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.clock import FrozenClock
from bot.delivery import Content, DeliveryState, Draft, Message, SendStatus
from bot.delivery.quiet import QuietHours
from bot.domain.codev.model import CodevError, GroupDraft, GuideMode, MeetingMode, Rsvp
from bot.domain.diagnostic.answering import Move
from bot.domain.diagnostic.model import CampaignRequest
from bot.domain.links import LinkError
from bot.domain.members import Role
from bot.domain.newsletter.model import BroadcastKind
from bot.domain.projects import Answer, ProjectStatus
from bot.domain.visio import Notice, SessionStatus, TopicStatus
from bot.seed import Profile, seed_member
from bot.services import Services
from bot.transports import MATRIX_ID_BASE, Transport
from schedules.visio.notices import CALENDAR_NOTICES, render
from tests.conftest import ANIMATOR_ID
from tests.privacy_scan import scan
from tests.unit.stats.activity import vote_figures
from tests.unit.visio.conftest import run_due_steps

ZOE = 7_731_004
ZOE_TCHAP = MATRIX_ID_BASE + 7_731_004  # her Tchap account, linked
FANNY = 7_731_500  # a facilitator
OTHERS = (11, 12, 13, 14)
NAME = "Zoé-Quetzal-7731"
TYPED = {
    "organisation": "Maison-Xylophage-7731",
    "function": "Fonction-Brachiopode-7731",
    "topic_open": "Sujet-Quenouille-7731",
    "topic_open_detail": "Détail-Ornithorynque-7731",
    "topic_chosen": "Sujet-Caracal-7731",
    "topic_chosen_detail": "Détail-Pangolin-7731",
    "visio_draft": "Brouillon-Axolotl-7731",
    "diagnostic": "Avis-Narval-7731",
    "case": "Cas-Tamanoir-7731 : mon équipe refuse l’outil",
    "action": "Action-Okapi-7731",
    "note": "Note-Fennec-7731",
    "learning": "Leçon-Ocelot-7731",
    "charter": "Charte-Wombat-7731 : ce qui se dit ici reste ici.",
    "meeting_detail": "https://visio.example.org/Salle-Dugong-7731",
    "session_link": "https://visio.example.org/Lien-Koala-7731",
    "letter": "Lettre-Capybara-7731 : bonne rentrée à toutes et tous",
    "reminder_draft": "Rappel-Gavial-7731",
    "codev_input": "Saisie-Manchot-7731",
    "faq_question": "Question-Tapir-7731 : où trouver la boîte à outils ?",
    "faq_draft": "Brouillon-Kinkajou-7731",
    "card_skills": "Compétence-Fossa-7731 médiation",
    "card_contact": "zoe.contact-7731@example.org",
    "project_title": "Projet-Tarsier-7731",
    "project_problem": "Problème-Pangolin-7731",
    "project_audience": "Usagers-Chinchilla-7731",
    "project_needs": "Besoins-Marmotte-7731",
    "project_comment": "Commentaire-Lémurien-7731",
    "project_note": "Nouvelle-Coati-7731",
    "project_milestone": "Jalon-Suricate-7731",
}
KEPT = {
    # A group's name and theme are the group's (its members still meet under them): kept.
    "group_name": "Groupe-Tatou-7731",
    "group_theme": "Thème-Lamantin-7731",
    # A question published in the FAQ is the network's (never named after her): kept, unlinked.
    "faq_published": "Question-Gerboise-7731 : quand a lieu la visio ?",
}
TOUCHED = {
    *("audit_log", "consent_refusals", "conversation_states", "members"),
    *("codev_actions", "codev_attendance", "codev_code_attempts", "codev_entries"),
    *("codev_groups", "codev_inputs", "codev_invites", "codev_learnings", "codev_rsvps"),
    *("codev_seats", "codev_sessions"),
    *("deliveries", "delivery_preferences", "delivery_quiet_hours", "sends"),
    *("directory_cards", "directory_fts", "directory_imports"),
    *("diagnostic_answers", "diagnostic_audience", "diagnostic_campaigns"),
    *("diagnostic_drafts", "diagnostic_responses"),
    *("faq_inputs", "faq_questions", "member_links"),
    *("newsletter_drafts", "newsletter_sends"),
    *("projects", "project_answers", "project_contributors", "project_inputs"),
    *("project_notes", "project_reviews"),
    *("visio_inputs", "visio_rsvps", "visio_sessions", "visio_topics", "visio_votes"),
}
"""Every table the scenario writes Zoé into (checked before erasure, so the scan has work)."""
FAQ_KEPT = {
    ("faq_entries", "question_fr"),
    ("faq_search", "question"),
    ("faq_search_content", "c0"),
}
"""Where a published question stays (the entry and its search index)."""
STARTS = datetime(2030, 3, 12, 13, 0, tzinfo=UTC)


async def _people(services: Services) -> None:
    await seed_member(services, ANIMATOR_ID, Profile("Anne", "Réseau", "Drôme", "Animatrice"))
    await services.members.force_role(ANIMATOR_ID, Role.ANIMATOR)
    await seed_member(services, FANNY, Profile("Fanny", "MFS", "Drôme", "Agent"))
    await services.members.force_role(FANNY, Role.FACILITATOR)
    for number, user_id in enumerate(OTHERS):
        await seed_member(services, user_id, Profile(f"Membre {number}", "MFS", "Drôme", "Agent"))
    await services.members.refuse_privacy(ZOE)
    profile = Profile(NAME, TYPED["organisation"], "Drôme", TYPED["function"])
    await seed_member(services, ZOE, profile)


async def _publish(services: Services, notices: list[Notice]) -> None:
    """Send the notices as the scheduler does (with their .ics), delivered at once."""
    for notice in notices:
        calendar = None
        if notice.kind in CALENDAR_NOTICES and notice.session.title is not None:
            _, calendar = await services.visio.attendance.calendar_file(notice.session.id)
        content = render(notice, services.translator, services.settings.language, calendar)
        draft = Draft(f"visio_{notice.kind}", "visio", content)
        send_id, _ = await services.deliveries.create_send(draft, members=notice.audience)
        await services.db.execute("UPDATE sends SET status = 'done' WHERE id = ?", (send_id,))


async def _visio(services: Services, clock: FrozenClock) -> tuple[int, int]:
    """Zoé proposes two topics; hers wins the vote, the other stays in the backlog.

    The ballot, the result (with its .ics) and the reminders quote her title: sent.
    """
    visio = services.visio
    await visio.cycle.set_slot("FREQ=MONTHLY;BYDAY=2TU", time(14), 120)
    session = (await visio.cycle.upcoming())[0]
    clock.set(session.starts_at - timedelta(days=21, hours=-2))
    await run_due_steps(visio)
    chosen = await visio.topics.propose(ZOE, TYPED["topic_chosen"])
    await visio.topics.describe(ZOE, chosen.id, TYPED["topic_chosen_detail"])
    clock.advance(timedelta(minutes=1))
    other = await visio.topics.propose(OTHERS[0], "Accueil des usagers")
    clock.advance(timedelta(minutes=1))
    left = await visio.topics.propose(ZOE, TYPED["topic_open"])
    await visio.topics.describe(ZOE, left.id, TYPED["topic_open_detail"])
    clock.set(session.starts_at - timedelta(days=14, hours=-2))
    await _publish(services, await run_due_steps(visio))
    for voter in (ZOE, OTHERS[0], OTHERS[1]):
        await visio.ballots.toggle(session.id, voter, chosen.id)
    await visio.ballots.toggle(session.id, ZOE, other.id)
    clock.set(session.starts_at - timedelta(days=7, hours=-2))
    await _publish(services, await run_due_steps(visio))
    assert (await visio.topics.get(chosen.id)).status is TopicStatus.CHOSEN
    await visio.attendance.rsvp(session.id, ZOE, coming=True)
    await visio.attendance.rsvp(session.id, OTHERS[0], coming=True)
    clock.set(session.starts_at + timedelta(hours=3))
    await _publish(services, await run_due_steps(visio))
    await visio.attendance.attend(session.id, ZOE, attended=True)
    await visio.expect_input(ZOE, "describe", left.id, TYPED["visio_draft"])
    return session.id, chosen.id


async def _diagnostic(services: Services, clock: FrozenClock) -> int:
    """A named satisfaction campaign: Zoé and two others answer, Zoé with a comment."""
    now = clock.now()
    request = CampaignRequest(
        "satisfaction",
        now,
        now + timedelta(days=3),
        anonymous=False,
        members=(ZOE, *OTHERS),
        created_by=ANIMATOR_ID,
    )
    campaign = await services.diagnostics.campaigns.create(request)
    assert await services.diagnostics.campaigns.open(campaign.id) is not None
    answering = services.diagnostics.answering
    for user_id, comment in (
        (ZOE, TYPED["diagnostic"]),
        (OTHERS[0], "Très bien"),
        (OTHERS[1], None),
    ):
        await answering.begin(campaign.id, user_id)
        await answering.choose(campaign.id, user_id, 0, 3)
        if comment is None:
            await answering.move(campaign.id, user_id, 1, Move.SKIP)
        else:
            await answering.write(user_id, comment)
    return campaign.id


async def _codev(services: Services, clock: FrozenClock) -> int:
    """Zoé joins Fanny's group, brings a case, writes a plan, a note and a learning."""
    codev = services.codev
    draft = GroupDraft(
        "Directeurs", "Changement", 4, MeetingMode.VIDEO, "https://x.org/c", "Charte"
    )
    group = await codev.groups.create(FANNY, draft)
    code, _, _ = await codev.groups.new_invite(FANNY, group.id)
    for user_id in (ZOE, *OTHERS[:3]):
        await codev.groups.use_code(user_id, code)
        await codev.groups.accept_charter(user_id, group.id)
    session = await codev.sessions.request(ZOE, group.id, TYPED["case"])
    await codev.sessions.schedule(
        FANNY, session.id, clock.now() + timedelta(days=7), "https://x.org/s"
    )
    await codev.sessions.rsvp(ZOE, session.id, Rsvp.YES)
    await codev.sessions.rsvp(OTHERS[0], session.id, Rsvp.YES)
    clock.advance(timedelta(days=7))
    await codev.sessions.start_guide(FANNY, session.id, GuideMode.PRIVATE)
    for step in range(1, 5):
        await codev.sessions.next_step(FANNY, session.id, step)
    await codev.plans.begin_plan(ZOE, session.id)
    action = await codev.plans.add_action(ZOE, session.id, TYPED["action"])
    await codev.plans.date_action(ZOE, action.id, "30/06/2030")
    await codev.plans.finish_plan(ZOE, session.id)
    await codev.sessions.next_step(FANNY, session.id, 5)
    await codev.sessions.next_step(FANNY, session.id, 6)
    assert await codev.sessions.attendance(session.id) == {ZOE, OTHERS[0]}  # from the RSVPs
    await codev.plans.learn(ZOE, session.id, TYPED["learning"])
    await codev.plans.learn(OTHERS[0], session.id, "Écouter d’abord")
    await codev.plans.note(ZOE, action.id, TYPED["note"])
    await codev.remember(ZOE, "case", group.id, {"text": TYPED["codev_input"]})
    # a wrong invitation code is counted against her
    with pytest.raises(CodevError):
        await codev.groups.use_code(ZOE, "WRONG-CODE")
    other = await codev.groups.create(FANNY, replace(draft, name="Autre groupe"))
    await codev.groups.request_join(ZOE, other.id)  # waiting for Fanny's answer
    return group.id


async def _as_facilitator(services: Services, clock: FrozenClock) -> int:
    """Anne promotes Zoé; Zoé creates a group of her own, invites, removes someone."""
    assert await services.members.change_role(ANIMATOR_ID, ZOE, Role.FACILITATOR)
    codev = services.codev
    draft = GroupDraft(
        KEPT["group_name"],
        KEPT["group_theme"],
        4,
        MeetingMode.VIDEO,
        TYPED["meeting_detail"],
        TYPED["charter"],
    )
    group = await codev.groups.create(ZOE, draft)
    code, _, _ = await codev.groups.new_invite(ZOE, group.id)
    for user_id in OTHERS:
        await codev.groups.use_code(user_id, code)
        await codev.groups.accept_charter(user_id, group.id)
    await codev.groups.remove(ZOE, group.id, OTHERS[3])
    session = await codev.sessions.request(OTHERS[0], group.id, "Un cas d’un autre membre")
    await codev.sessions.schedule(
        ZOE, session.id, clock.now() + timedelta(days=2), TYPED["session_link"]
    )
    return group.id


async def _newsletters(services: Services, clock: FrozenClock) -> int:
    """Zoé, now an animator, sends a letter and keeps a reminder draft; gets a delivery."""
    assert await services.members.change_role(ANIMATOR_ID, ZOE, Role.ANIMATOR)
    letters = services.newsletters
    await letters.add_text(ZOE, BroadcastKind.NEWSLETTER, TYPED["letter"])
    draft = await letters.draft(ZOE, BroadcastKind.NEWSLETTER)
    content = Content({"fr": Message((f"<b>Lettre</b>\n{TYPED['letter']}",))})
    send_id, _ = await services.deliveries.create_send(
        Draft("newsletter", "newsletter", content, ZOE), [ZOE, *OTHERS, ANIMATOR_ID]
    )
    await letters.record_send(send_id, draft)
    await services.db.execute(
        "UPDATE deliveries SET state = 'sent', message_ids = '[4242]', sent_at = ?"
        " WHERE send_id = ?",
        (clock.now().isoformat(), send_id),
    )
    await services.db.execute("UPDATE sends SET status = 'done' WHERE id = ?", (send_id,))
    await letters.add_text(ZOE, BroadcastKind.REMINDER, TYPED["reminder_draft"])
    await services.diagnostics.campaigns.start_draft(ZOE, "satisfaction")
    now = clock.now()
    request = CampaignRequest(
        "satisfaction", now, now + timedelta(days=3), members=OTHERS, created_by=ZOE
    )
    await services.diagnostics.campaigns.create(request)
    return send_id


async def _faq(services: Services) -> tuple[int, int]:
    """Zoé asks two questions (one answered and published), answers one as an animator,
    keeps an entry draft; her question went to the animators through the delivery engine."""
    faq = services.faq
    theme = await faq.add_theme("Outils | Tools")
    await faq.ask(ZOE, "fr", TYPED["faq_question"])
    published = await faq.ask(ZOE, "fr", KEPT["faq_published"])
    await faq.record_answer(published.id, ANIMATOR_ID, "Le deuxième mardi.")
    entry = await faq.publish(published.id, theme.id)
    other = await faq.ask(OTHERS[0], "fr", "Où est le wiki ?")
    await faq.record_answer(other.id, ZOE, "Sur l’intranet.")
    await faq.expect(ZOE, "entry_en", theme.id, [TYPED["faq_draft"], "Une réponse"])
    notice = Content({"fr": Message((f"{NAME} : {TYPED['faq_question']}",))})
    send_id, _ = await services.deliveries.create_send(
        Draft("faq_question", "faq", notice, ZOE), [ANIMATOR_ID]
    )
    await services.db.execute("UPDATE sends SET status = 'done' WHERE id = ?", (send_id,))
    return entry.id, other.id


async def _links(services: Services) -> None:
    """Her Tchap account types a wrong code (audited), then links; her messages go there."""
    code, _ = await services.links.new_code(ZOE)
    with pytest.raises(LinkError):
        await services.links.link(ZOE_TCHAP, "AAAA-AAAA")
    await services.links.link(ZOE_TCHAP, code)
    await services.links.send_to(ZOE, Transport.MATRIX)
    assert services.addressing.route_of(ZOE) == (Transport.MATRIX, ZOE_TCHAP)


async def _directory(services: Services) -> None:
    """Zoé publishes her card (typed skills and contact, a Telegram link), checks an import."""
    member = await services.members.get(ZOE)
    assert member is not None
    await services.directory.publish(member)
    await services.directory.set_field(ZOE, "skills", TYPED["card_skills"])
    await services.directory.set_field(ZOE, "contact", TYPED["card_contact"])
    await services.directory.set_telegram_link(ZOE, True)
    await services.directory.check_import(ZOE, "a.csv", b"Structure;Territoire\nMairie;Die\n")
    _, found = await services.directory.search("fossa")
    assert found.total == 1


async def _directory_index_forgot_her(services: Services) -> None:
    """No page of the full-text index (binary) still holds her words; her card is gone."""
    _, found = await services.directory.search("fossa")
    assert found.total == 0
    for table in ("directory_fts_data", "directory_fts_idx"):
        for row in await services.db.fetchall(f"SELECT * FROM {table}"):
            for value in tuple(row):
                if isinstance(value, bytes):
                    assert b"fossa" not in value and b"quetzal" not in value, table


async def _projects(services: Services, clock: FrozenClock) -> tuple[int, int]:
    """Zoé holds a project and joins another, whose first step she validates.

    Her project has answers, a comment, news and a milestone, quoted in a send.
    """
    projects = services.projects
    hers = await projects.start(ZOE, TYPED["project_title"])
    for field in ("problem", "audience", "needs"):
        await projects.fill(ZOE, hers.id, field, TYPED[f"project_{field}"])
    await projects.record_answer(ZOE, hers.id, 0, "users", Answer.MET)
    await projects.comment(ZOE, hers.id, 0, "users", TYPED["project_comment"])
    await projects.team.join(OTHERS[0], hers.id)
    await projects.team.add_note(ZOE, hers.id, TYPED["project_note"])
    due = clock.now() + timedelta(days=20)
    await projects.team.add_note(ZOE, hers.id, TYPED["project_milestone"], due)
    quoting = Content({"fr": Message((f"Nouvelles de {TYPED['project_title']}",))})
    send_id, _ = await services.deliveries.create_send(
        Draft("projects_note", "projects", quoting), [OTHERS[0]]
    )
    await services.db.execute("UPDATE sends SET status = 'done' WHERE id = ?", (send_id,))
    other = await projects.start(OTHERS[1], "Projet d’un autre membre")
    for field in ("problem", "audience", "needs"):
        await projects.fill(OTHERS[1], other.id, field, "Texte d’un autre membre")
    await projects.team.join(ZOE, other.id)
    await projects.team.join(OTHERS[2], other.id)
    step = projects.checklist.steps[0]
    for criterion in step.criteria:
        await projects.record_answer(OTHERS[1], other.id, 0, criterion.id, Answer.MET)
    await projects.validate(ZOE, other.id, 0)
    await projects.expect_input(ZOE, "note", hers.id)
    return hers.id, other.id


async def test_erasure_leaves_no_trace_and_keeps_the_counts(
    services: Services, clock: FrozenClock
) -> None:
    await _people(services)
    visio_session, chosen_topic = await _visio(services, clock)
    campaign = await _diagnostic(services, clock)
    codev_group = await _codev(services, clock)
    own_group = await _as_facilitator(services, clock)
    letter_send = await _newsletters(services, clock)
    faq_entry, answered_by_her = await _faq(services)
    await _directory(services)
    her_project, other_project = await _projects(services, clock)
    await _links(services)
    # refusals of her own, preferences, quiet hours, a conversation under way, a pending send
    assert await services.members.authorise(ZOE, Role.ANIMATOR, "roles") is not None
    await services.members.change_role(OTHERS[0], ZOE, Role.MEMBER)  # refused, about Zoé
    await services.deliveries.preferences.set_opted_out(ZOE, "codev", True)
    await services.deliveries.preferences.set_quiet_hours(ZOE, QuietHours.from_minutes(1320, 420))
    await services.conversations.save("newsletter", (ZOE, ZOE), "body")
    await services.deliveries.create_send(
        Draft("reminder", "reminder", Content({"fr": Message(("Rappel",))}), ANIMATOR_ID),
        [ZOE, ANIMATOR_ID],
    )
    await services.deliveries.preferences.set_opted_out(ZOE, "stats", True)
    votes = await vote_figures(services, clock, visio_session)  # read by /stats
    needles = [NAME, *TYPED.values()]
    before = await scan(services.db, ZOE, needles)
    assert {h.table for h in before} >= TOUCHED, "the scenario must leave traces everywhere"
    quoted = {h.rowid for h in before if (h.table, h.column) == ("sends", "attachments")}
    assert quoted, "the .ics of a sent notice quotes her topic"
    linked = {h.table for h in await scan(services.db, ZOE_TCHAP, [])}
    assert linked == {"member_links", "link_wrong_tries", "audit_log"}

    await services.privacy.erase(ZOE)

    hits = await scan(services.db, ZOE, needles)
    assert not hits, "traces left:\n" + "\n".join(map(str, hits))
    assert not await scan(services.db, ZOE_TCHAP, [])  # her linked account: gone too
    assert services.addressing.member_of(ZOE_TCHAP) == ZOE_TCHAP
    await _directory_index_forgot_her(services)
    # anonymous aggregates stay
    session = await services.visio.cycle.session(visio_session)
    assert session.status is SessionStatus.SCHEDULED and session.voters == 3
    recorded = await services.db.fetchone(
        "SELECT votes FROM visio_ballot WHERE session_id = ? AND topic_id = ?",
        (visio_session, chosen_topic),
    )
    assert recorded["votes"] == 3  # the closed ballot keeps its counts
    assert (await services.visio.attendance.summary(visio_session)).yes == 2
    results = await services.diagnostics.results(await services.diagnostics.campaigns.get(campaign))
    assert results.respondents == 3 and results.questions[0].counts[3] == 3
    participation = await services.diagnostics.campaigns.participation(campaign)
    assert participation.completed == 3
    stats = {s.group_id: s for s in await services.codev.groups.stats()}
    assert (stats[codev_group].sessions_held, stats[codev_group].attendance) == (1, 2)
    assert own_group in stats
    kept = await scan(services.db, ZOE, list(KEPT.values()))
    assert {(h.table, h.column) for h in kept} == {
        ("codev_groups", "name"),
        ("codev_groups", "theme"),
        *FAQ_KEPT,
    }
    entry = await services.faq.entries.entry(faq_entry)
    assert entry is not None and entry.fr is not None
    assert entry.fr.question == KEPT["faq_published"]  # stays, found by search, unlinked
    assert [e.id for e in await services.faq.search("gerboise")] == [faq_entry]
    answered = await services.faq.questions.get(answered_by_her)
    assert answered is not None and answered.answer == "Sur l’intranet."
    assert answered.answered_by is None
    withdrawn = await services.projects.store.get(her_project)
    assert withdrawn is not None and withdrawn.status is ProjectStatus.WITHDRAWN
    assert await services.projects.get(her_project) is None  # no longer listed
    other = await services.projects.get(other_project)
    assert other is not None and (other.step, other.contributors) == (1, 1)
    report = await services.deliveries.report(letter_send)
    assert report is not None and report.counts[DeliveryState.SENT] == len(OTHERS) + 2
    assert report.status is SendStatus.CANCELLED  # emptied: it can never be resent
    assert await services.newsletters.resend(letter_send) == 0
    assert await vote_figures(services, clock, visio_session) == votes == (3, 4)


async def test_a_send_still_going_out_keeps_its_content_until_it_is_over(
    services: Services, clock: FrozenClock
) -> None:
    await _people(services)
    await services.visio.topics.propose(ZOE, TYPED["topic_open"])
    quoting = Content({"fr": Message((f"Nouveau sujet : {TYPED['topic_open']}",))})
    send_id, _ = await services.deliveries.create_send(
        Draft("visio_call", "visio", quoting, ANIMATOR_ID), [*OTHERS, ANIMATOR_ID]
    )
    other_id, _ = await services.deliveries.create_send(
        Draft("visio_call", "visio", Content({"fr": Message(("Rien d’elle",))})), OTHERS
    )
    await services.db.execute("UPDATE sends SET status = 'sending' WHERE id = ?", (send_id,))

    await services.privacy.erase(ZOE)

    [send] = await services.deliveries.sends(["visio_call"], [SendStatus.SENDING])
    assert send.id == send_id and TYPED["topic_open"] in send.content.messages["fr"].parts[0]
    assert await scan(services.db, ZOE, [TYPED["topic_open"]])  # the others still get it
    await services.db.execute("UPDATE deliveries SET state = 'sent' WHERE send_id = ?", (send_id,))
    await services.db.execute("UPDATE sends SET status = 'done' WHERE id = ?", (send_id,))
    assert not await scan(services.db, ZOE, [TYPED["topic_open"]])
    report = await services.deliveries.report(send_id)
    assert report is not None and report.status is SendStatus.CANCELLED
    assert report.counts[DeliveryState.SENT] == len(OTHERS) + 1
    [untouched] = await services.deliveries.sends(["visio_call"], [SendStatus.SCHEDULED])
    assert untouched.id == other_id and untouched.content.messages["fr"].parts == ("Rien d’elle",)


async def test_a_topic_withdrawn_during_the_vote_cannot_win_nor_come_back(
    services: Services, clock: FrozenClock
) -> None:
    await _people(services)
    visio = services.visio
    await visio.cycle.set_slot("FREQ=MONTHLY;BYDAY=2TU", time(14), 120)
    session = (await visio.cycle.upcoming())[0]
    clock.set(session.starts_at - timedelta(days=21, hours=-2))
    await run_due_steps(visio)
    hers = await visio.topics.propose(ZOE, TYPED["topic_chosen"])
    clock.advance(timedelta(minutes=1))
    other = await visio.topics.propose(OTHERS[0], "Accueil des usagers")
    clock.set(session.starts_at - timedelta(days=14, hours=-2))
    await run_due_steps(visio)
    for voter in (ZOE, *OTHERS[:3]):
        await visio.ballots.toggle(session.id, voter, hers.id)
    await visio.ballots.toggle(session.id, OTHERS[3], other.id)

    await services.privacy.erase(ZOE)
    clock.set(session.starts_at - timedelta(days=7, hours=-2))
    [result] = [n for n in await run_due_steps(visio) if n.tally is not None]

    assert result.tally.winner.id == other.id
    assert [(c.topic.id, c.votes) for c in result.tally.ranking] == [(other.id, 1), (hers.id, 3)]
    assert result.session.title == "Accueil des usagers"
    text = render(result, services.translator, "fr").messages["fr"].parts[0]
    assert "• sujet retiré : 3 voix" in text
    await visio.cycle.cancel(session.id)
    assert (await visio.topics.get(other.id)).status is TopicStatus.OPEN
    assert (await visio.topics.get(hers.id)).status is TopicStatus.REJECTED
    assert [t.id for t in await visio.topics.backlog()] == [other.id]


async def test_a_cancelled_session_does_not_put_a_withdrawn_topic_back(
    services: Services, clock: FrozenClock
) -> None:
    await _people(services)
    visio = services.visio
    await visio.cycle.set_slot("FREQ=MONTHLY;BYDAY=2TU", time(14), 120)
    session = (await visio.cycle.upcoming())[0]
    clock.set(session.starts_at - timedelta(days=21, hours=-2))
    await run_due_steps(visio)
    hers = await visio.topics.propose(ZOE, TYPED["topic_chosen"])
    clock.advance(timedelta(minutes=1))
    other = await visio.topics.propose(OTHERS[0], "Accueil des usagers")
    clock.set(session.starts_at - timedelta(days=7, hours=-2))
    await run_due_steps(visio)  # no vote: the earliest proposal, hers, is chosen
    assert (await visio.topics.get(hers.id)).status is TopicStatus.CHOSEN

    await services.privacy.erase(ZOE)
    await visio.cycle.cancel(session.id)

    assert (await visio.topics.get(hers.id)).status is TopicStatus.REJECTED
    assert [t.id for t in await visio.topics.backlog()] == [other.id]
