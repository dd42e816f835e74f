"""Co-development sessions through the sandbox, on a controllable clock: from the request
to the follow-up, and the confidentiality of cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import FrozenClock
from bot.domain.codev.model import GuideMode, Rsvp, Session
from bot.sandbox import SimGroup, SimUser
from tests.e2e.codev.test_groups import facilitator, seeded_group
from tests.e2e.conftest import Network

CASE = "Mon équipe <refuse> le nouvel outil de suivi & je ne sais pas comment l’embarquer."
STARTS = datetime(2030, 3, 12, 13, 0, tzinfo=UTC)  # mardi 12 mars 2030 à 14 h 00 in Paris
LINK = "https://visio.example.org/dp"


class Cast:
    """A facilitator, three members (Ana is the client) and their group."""

    def __init__(self, network: Network, fanny: SimUser, members: list[SimUser], group_id: int):
        self.network = network
        self.fanny = fanny
        self.ana, self.ben, self.cleo = members
        self.group_id = group_id

    @property
    def codev(self):
        return self.network.services.codev

    async def requested(self) -> Session:
        return await self.codev.sessions.request(self.ana.user_id, self.group_id, CASE)

    async def scheduled(self) -> Session:
        session = await self.requested()
        return await self.codev.sessions.schedule(self.fanny.user_id, session.id, STARTS, LINK)

    async def ask_for_session(self) -> None:
        """Ana opens her group's page from /codev and asks for a session: her case is asked."""
        await self.ana.send("/codev")
        await self.ana.expect("Codéveloppement")
        await self.ana.tap("👥 Directeurs de projet")
        await self.ana.expect("Membres (3/4)")
        await self.ana.tap("🙋 Demander une séance")
        await self.ana.expect("Décrivez votre cas en un paragraphe")

    async def open_session(self, user: SimUser, label: str) -> dict:
        """``user`` opens the group's page then the session whose button contains ``label``."""
        await user.send("/codev")
        await user.expect("Codéveloppement")
        await user.tap("Directeurs de projet")
        await user.expect("Membres (")
        await user.tap(label)
        return await user.expect("Séance de codéveloppement : Directeurs de projet")


async def cast(network: Network) -> Cast:
    fanny = await facilitator(network)
    members = [await network.member(name) for name in ("Ana", "Ben", "Cléo")]
    group = await seeded_group(network, fanny, *members)
    return Cast(network, fanny, members, group.id)


async def run_due(network: Network) -> None:
    """Let the bot finish what it is doing, then run what the clock has reached."""
    await network.sandbox.wait_idle()
    await network.run_due()


async def run_due_twice(network: Network) -> None:
    """A job that hands a send to the engine, then the send itself."""
    await run_due(network)
    await run_due(network)


async def test_request_scheduling_invitation_answers_calendar_and_reminders(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    c = await cast(network)
    ana, ben, cleo, fanny = c.ana, c.ben, c.cleo, c.fanny
    await c.ask_for_session()
    await ana.send("x" * 1001)
    await ana.expect("C’est trop long : 1001 caractères pour 1000 au maximum.")
    await ana.expect("Décrivez votre cas en un paragraphe (1000 caractères au maximum)")
    await ana.send(CASE)
    await ana.expect("Votre demande de séance est transmise")
    notice = await fanny.expect("Ana (France Services Die) demande une séance")
    assert CASE in notice["text"]

    await fanny.tap("📅 Fixer la date")
    await fanny.expect("Quel jour et à quelle heure (heure de Europe/Paris)")
    await fanny.send("31/02/2030 14:00")
    await fanny.expect("Je n’ai pas compris cette date")
    await fanny.send("04/03/2030 14:00")
    await fanny.expect("est déjà passé")
    await fanny.send("12/03/2030")
    await fanny.expect("Il manque l’heure")
    await fanny.send("mardi 12 mars 2030 à 14 h")
    await fanny.expect("Quel lien de visio pour cette séance")
    await fanny.send("pas un lien")
    await fanny.expect("Il faut un lien de visio commençant par https://")
    await fanny.send("https://visio.example.org/s1")
    await fanny.expect("Séance fixée au mardi 12 mars 2030 à 14 h 00. Invitation envoyée à 4")

    await run_due(network)
    for member in (ana, ben, cleo):
        invitation = await member.expect("Séance de codéveloppement « Directeurs de projet »")
        assert CASE in invitation["text"] and "https://visio.example.org/s1" in invitation["text"]
        assert "0 sur 3 ont déjà été client·e. Pas encore : Ana" in invitation["text"]
        invited = await member.expect_document()  # the calendar file comes with it
        assert invited.filename == "codev.ics" and "20300312T140000" in invited.data.decode()
    await ben.tap("✅ Je viens")
    await ben.expect("C’est noté : vous venez.")
    await cleo.tap("❌ Je ne peux pas")
    await cleo.expect("C’est noté : vous ne venez pas.")
    await ben.tap("📅 Ajouter à mon agenda (.ics)")
    ics = await ben.expect_document()
    text = ics.data.decode()
    assert ics.filename == "codev.ics" and "DTSTART;TZID=Europe/Paris:20300312T140000" in text
    assert "Codéveloppement : Directeurs de projet" in text and "refuse" not in text

    clock.set(STARTS - timedelta(days=1))
    await run_due_twice(network)
    await ben.expect("Rappel : séance de codéveloppement « Directeurs de projet » demain")
    await fanny.expect("Rappel : séance de codéveloppement")
    await cleo.expect_nothing()
    clock.set(STARTS - timedelta(hours=1))
    await run_due_twice(network)
    await ana.expect("dans une heure, mardi 12 mars 2030 à 14 h 00")
    await run_due_twice(network)
    await ana.expect_nothing()  # each reminder once


async def test_a_restart_mid_question_loses_nothing(clocked_network: Network) -> None:
    network = clocked_network
    c = await cast(network)
    await c.ask_for_session()
    await network.restart()
    await c.ana.send(CASE)
    await c.ana.expect("Votre demande de séance est transmise")
    [session] = await c.codev.sessions.of_group(c.ana.user_id, c.group_id)
    assert session.case == CASE and session.client_id == c.ana.user_id


async def test_a_quick_time_poll_then_the_date_retained(clocked_network: Network) -> None:
    network = clocked_network
    c = await cast(network)
    await c.requested()
    await c.open_session(c.fanny, "🙋 Demande de Ana")
    await c.fanny.tap("🗳 Proposer des dates")
    await c.fanny.expect("Tapez de 2 à 5 dates")
    await c.fanny.send("12/03/2030 14:00")
    await c.fanny.expect("Tapez de 2 à 5 dates, une par ligne.")
    await c.fanny.send("12/03/2030 14:00\n31/02/2030 10:00")
    await c.fanny.expect("Ligne 2 :\nJe n’ai pas compris cette date")
    await c.fanny.send("12/03/2030 14:00\n14/03/2030 09:30")
    await c.fanny.expect("Dates envoyées à 3 membre(s)")
    await run_due(network)
    polls = {}
    for member in (c.ben, c.ana):
        polls[member.name] = await member.expect("quelles dates vous conviennent")
        await member.tap("⬜ jeudi 14 mars 2030 à 9 h 30")
        await member.expect("C’est noté.")
        assert ["✅ jeudi 14 mars 2030 à 9 h 30"] in member.buttons()
    page = await c.open_session(c.fanny, "🗳 Dates à choisir")
    assert "• jeudi 14 mars 2030 à 9 h 30 : 2 voix" in page["text"]
    await c.fanny.tap("Retenir le jeudi 14 mars 2030 à 9 h 30 (2)")
    await c.fanny.expect("Quel lien de visio")
    await c.fanny.tap(f"Lien habituel : {LINK}")
    await c.fanny.expect("Séance fixée au jeudi 14 mars 2030 à 9 h 30")
    await run_due(network)
    await c.cleo.expect("jeudi 14 mars 2030 à 9 h 30")
    poll = polls[c.ben.name]["message_id"]
    await c.ben.tap("⬜ mardi 12 mars 2030 à 14 h 00", message_id=poll)  # the poll is over
    await c.ben.expect("Le choix des dates est terminé.")


async def bound_chat(c: Cast, *extra: SimUser) -> SimGroup:
    """The group's Telegram chat, with the bot, the group and ``extra`` people in it."""
    chat = c.network.sandbox.add_group("Codev DP", members=[c.fanny, c.ana, c.ben, c.cleo, *extra])
    await c.network.sandbox.wait_idle()
    await c.codev.groups.bind_chat(c.fanny.user_id, c.group_id, chat.chat_id)
    return chat


async def test_guided_six_steps_in_the_group_chat_on_the_clock(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    c = await cast(network)
    gus = await facilitator(network, "Gus")  # facilitates no group of this chat
    chat = await bound_chat(c, gus)
    session = await c.scheduled()
    for member, answer in ((c.ana, Rsvp.YES), (c.ben, Rsvp.YES), (c.cleo, Rsvp.NO)):
        await c.codev.sessions.rsvp(member.user_id, session.id, answer)
    await c.open_session(c.fanny, "📅 mardi 12 mars 2030")
    await c.fanny.tap("⏱ Durées des étapes")
    await c.fanny.expect("Durées actuelles (exposé du problème, questions de clarification")
    await c.fanny.send("10 15 5")
    await c.fanny.expect("Il faut 6 nombres de minutes, chacun de 1 à 120.")
    await c.fanny.send("10 15 5 20 10 10")
    await c.fanny.expect("Durées des étapes : 10/15/5/20/10/10 minutes.")

    clock.set(STARTS)
    await c.open_session(c.fanny, "📅 mardi 12 mars 2030")
    await c.fanny.tap("▶️ Séance guidée dans le groupe Telegram")
    await c.fanny.expect("C’est parti : étape 1.")
    first = await chat.expect("étape 1/6, exposé du problème (10 min, jusqu’à 14 h 10)")

    await c.ben.tap("Étape suivante", group=chat)
    await chat.expect("réservée à l’équipe d’animation")
    await gus.tap("Étape suivante", group=chat)
    await chat.expect("réservé aux membres du groupe et à sa facilitation")
    for person, action in ((c.ben, "codev_step"), (gus, "codev_step")):
        entries = await network.services.audit.for_user(person.user_id)
        assert (action, False) in [(e.action, e.allowed) for e in entries]

    clock.advance(timedelta(minutes=10))
    await run_due(network)
    await chat.expect("Le temps de l’étape 1 (exposé du problème) est écoulé.")
    await run_due(network)
    await chat.expect_nothing()  # the alert came once

    expected = [
        "étape 2/6, questions de clarification (15 min",
        "étape 3/6, contrat (5 min",
        "étape 4/6, consultation (20 min",
        "étape 5/6, synthèse et plan d’action (10 min",
        "étape 6/6, apprentissages (10 min",
    ]
    for text in expected:
        await c.fanny.tap("Étape suivante ▶️", group=chat)
        await chat.expect(text)
    await c.ana.expect("c’est l’heure de votre plan d’action")
    await run_due(network)
    await c.ben.expect("qu’avez-vous appris de cette séance ?")
    await c.fanny.tap("Étape suivante ▶️", group=chat, message_id=first["message_id"])
    await chat.expect("Cette étape est déjà passée.")
    await c.fanny.tap("Terminer la séance ✅", group=chat)
    await chat.expect("Séance « Directeurs de projet » terminée")
    await c.fanny.expect("Qui était présent·e ?")
    assert c.fanny.buttons() == [
        ["✅ Ana (France Services Die)"],
        ["✅ Ben (France Services Die)"],
        ["⬜ Cléo (France Services Die)"],
    ]
    await c.fanny.tap("⬜ Cléo (France Services Die)")
    await c.fanny.expect("Qui était présent·e ?")
    assert ["✅ Cléo (France Services Die)"] in c.fanny.buttons()
    [stats] = await c.codev.groups.stats()
    assert (stats.sessions_held, stats.attendance) == (1, 3)


async def test_guided_steps_in_private_chats_with_the_time_box_alert(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    c = await cast(network)
    await c.scheduled()
    clock.set(STARTS)
    await c.open_session(c.fanny, "📅 mardi 12 mars 2030")
    assert not any("groupe Telegram" in label for row in c.fanny.buttons() for label in row)
    await c.fanny.tap("▶️ Séance guidée en messages privés")
    await c.fanny.expect("étape 1/6, exposé du problème (10 min, jusqu’à 14 h 10)")
    await run_due(network)
    await c.ben.expect("étape 1/6, exposé du problème")
    await c.fanny.tap("Étape suivante ▶️")
    await c.fanny.expect("étape 2/6, questions de clarification (15 min, jusqu’à 14 h 15)")
    await run_due(network)
    await c.cleo.expect("étape 2/6")
    clock.advance(timedelta(minutes=15))
    await run_due(network)
    await c.fanny.expect("Le temps de l’étape 2 (questions de clarification) est écoulé.")
    elsewhere = network.sandbox.add_group("Autre", members=[c.ben])
    await c.ben.send_in(elsewhere, "/codev")  # a member's groups are listed in private only
    await elsewhere.expect("Je ne connais pas cette commande")
    assert "Directeurs" not in "\n".join(elsewhere.transcript())


async def held_in_private(c: Cast, clock: FrozenClock, up_to: int) -> Session:
    """A session guided in private chats, moved by the facilitator up to step ``up_to``."""
    session = await c.scheduled()
    clock.set(STARTS)
    sessions = c.codev.sessions
    await sessions.start_guide(c.fanny.user_id, session.id, GuideMode.PRIVATE)
    for step in range(1, up_to):
        session = await sessions.next_step(c.fanny.user_id, session.id, step)
    return session


async def test_action_plan_learnings_and_follow_up_seen_by_the_facilitator(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    c = await cast(network)
    ana, fanny = c.ana, c.fanny
    session = await held_in_private(c, clock, up_to=5)
    await c.open_session(ana, "▶️ En cours")
    await ana.tap("📝 Noter mon plan d’action")
    await ana.expect("Action 1 : que ferez-vous ?")
    await ana.send("Réunir l’équipe <projet>")
    await ana.expect("Pour quand : « Réunir l’équipe <projet> » ?")
    await ana.send_sticker()
    await ana.expect("Merci de répondre par un message texte.")
    await ana.send("bientôt")
    await ana.expect("Je n’ai pas compris ce jour.")
    await ana.send("01/03/2030")
    await ana.expect("Ce jour est déjà passé.")
    await ana.send("20/03")
    await ana.expect("Noté : « Réunir l’équipe <projet> », pour le mercredi 20 mars 2030.")
    await ana.expect("Action 2 : que ferez-vous encore ?")
    await ana.send("Former deux agents")
    await ana.expect("Pour quand")
    await ana.send("15 avril")
    await ana.expect("Action 3")
    await ana.tap("C’est tout")
    await ana.expect("Votre plan d’action (2 action(s)) est enregistré.")
    await fanny.expect("Ana (France Services Die) a noté son plan d’action")

    await c.open_session(c.ben, "▶️ En cours")
    assert not any("apprentissage" in label for row in c.ben.buttons() for label in row)
    await c.codev.sessions.next_step(fanny.user_id, session.id, 5)
    await c.open_session(c.ben, "▶️ En cours")
    await c.ben.tap("💡 Noter un apprentissage")
    await c.ben.expect("Qu’avez-vous appris ?")
    await c.ben.send("Poser des questions ouvertes avant de conseiller.")
    await c.ben.expect("Merci, votre apprentissage est noté.")
    await c.codev.sessions.next_step(fanny.user_id, session.id, 6)

    clock.set(STARTS + timedelta(weeks=4))
    await run_due_twice(network)
    await ana.expect("où en sont les actions de votre plan ?")
    await ana.tap("📋 Faire le point sur mon plan")
    await ana.expect("Action 1/2 : Réunir l’équipe <projet> (pour le mercredi 20 mars 2030)")
    await ana.tap("✅ fait")
    await ana.expect("« Réunir l’équipe <projet> » : ✅ fait.")
    await ana.expect("Un mot à ajouter ?")
    await ana.send("Très utile, à refaire")
    await ana.expect("Action 2/2 : Former deux agents")
    await ana.tap("✖️ abandonné")
    await ana.expect("Un mot à ajouter ?")
    await ana.tap("Rien à ajouter")
    await ana.expect("Merci ! La facilitation verra votre point.")
    review = await fanny.expect("Ana (France Services Die) a fait le point sur son plan d’action")
    assert "• Réunir l’équipe <projet> : ✅ fait (Très utile, à refaire)" in review["text"]
    assert "• Former deux agents : ✖️ abandonné (—)" in review["text"]
    page = await c.open_session(fanny, "✅ mardi 12 mars 2030")
    assert "Poser des questions ouvertes" in page["text"] and "✅ fait" in page["text"]


async def test_cases_stay_in_the_group(clocked_network: Network) -> None:
    network = clocked_network
    anne = await network.animator()
    c = await cast(network)
    otto = await network.member("Otto")
    session = await c.scheduled()
    for intruder in (otto, anne):
        await intruder.send("/codev")
        await intruder.expect("Codéveloppement")
        for forged in (
            f"cd_ses:1:{session.id}",
            "cd_ses:1:999",
            f"cd_grp:1:{c.group_id}",
            f"cd_rsvp:1:{session.id}:yes",
            f"cd_plan:1:{session.id}",
            f"cd_ics:1:{session.id}",
        ):
            await intruder.tap_data(forged)
            refusal = await intruder.expect("réservé aux membres du groupe et à sa facilitation")
            assert "Directeurs" not in refusal["toast"]
        refused = [e for e in await network.services.audit.for_user(intruder.user_id)]
        assert len([e for e in refused if e.action.startswith("codev_") and not e.allowed]) >= 6
        assert "refuse" not in "\n".join(intruder.transcript())
    await anne.send("/codev")
    await anne.expect("Codéveloppement")
    await anne.tap("📊 Tous les groupes (chiffres)")
    counts = await anne.expect("chiffres seulement")
    assert (
        "Directeurs de projet : 3 membre(s), 0 en attente, 0 séance(s) tenue(s)" in counts["text"]
    )
    assert "refuse" not in counts["text"]
    await c.ben.send("/codev")
    await c.ben.expect("Codéveloppement")
    await c.codev.groups.remove(c.fanny.user_id, c.group_id, c.ben.user_id)
    await c.ben.tap_data(f"cd_rsvp:1:{session.id}:yes")  # a former member, an old button
    await c.ben.expect("réservé aux membres du groupe et à sa facilitation")
