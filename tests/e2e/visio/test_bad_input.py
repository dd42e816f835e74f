"""Visio bad input: clear answers in the member's language, nothing lost, refusals audited."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.visio import TopicStatus
from bot.sandbox import SimUser
from tests.e2e.conftest import Network

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    """A Paris wall-clock time."""
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


async def second_tuesday(network: Network) -> None:
    """The slot an animator would set: second Tuesday of the month, 14:00-16:00."""
    await network.services.visio.cycle.set_slot("FREQ=MONTHLY;BYDAY=2TU", time(14), 120)


async def answer(user: SimUser, text: str, expected: str) -> None:
    """Send ``text`` and wait for the bot's answer containing ``expected``."""
    await user.send(text)
    await user.expect(expected)


async def test_bad_titles_and_descriptions_are_explained_and_asked_again(
    clocked_network: Network,
) -> None:
    network = clocked_network
    bruno = await network.member("Bruno")
    await answer(bruno, "/proposer", "Quel sujet proposez-vous")
    await answer(bruno, "x" * 101, "C’est trop long : 100 caractères au maximum.")
    await bruno.send_sticker()
    await bruno.expect("Merci de répondre par un message texte.")
    await answer(bruno, "?! …", "Le texte est vide.")
    await answer(bruno, "<b>Accueil</b> & co", "Ajoutez si vous le souhaitez une description")
    await answer(bruno, "y" * 1001, "C’est trop long : 1000 caractères au maximum.")
    await answer(bruno, "/visio", "Vous êtes au milieu d’une question")
    done = await answer_and_get(bruno, "/passer", "rejoint les sujets proposés")
    assert "« <b>Accueil</b> & co »" in done["text"]
    backlog = await network.services.visio.topics.backlog()
    assert [t.title for t in backlog] == ["<b>Accueil</b> & co"]
    emma = await network.member("Emma", "en")
    await answer(emma, "/propose", "Which topic")
    await answer(emma, "e" * 150, "That is too long: 100 characters at most.")
    await answer(emma, "/cancel", "Cancelled.")
    assert len(await network.services.visio.topics.backlog()) == 1


async def answer_and_get(user: SimUser, text: str, expected: str) -> dict:
    """Send ``text`` and return the bot's answer containing ``expected``."""
    await user.send(text)
    return await user.expect(expected)


async def test_the_same_topic_twice_points_to_the_existing_one(clocked_network: Network) -> None:
    network = clocked_network
    bruno = await network.member("Bruno")
    chloe = await network.member("Chloé")
    await answer(bruno, "/proposer", "Quel sujet")
    await answer(bruno, "Démarches en ligne", "description")
    await answer(bruno, "/passer", "rejoint les sujets proposés")
    await answer(chloe, "/proposer", "Quel sujet")
    await answer(
        chloe, "DEMARCHES   en ligne.", "Ce sujet est déjà proposé : « Démarches en ligne »"
    )
    await chloe.send("Bonjour")
    await chloe.expect("Je n’ai pas compris.")  # the conversation ended with the pointer
    assert len(await network.services.visio.topics.backlog()) == 1


async def test_non_animators_are_refused_every_admin_action_and_audited(
    clocked_network: Network,
) -> None:
    network = clocked_network
    await network.animator()
    bruno = await network.member("Bruno")
    await second_tuesday(network)
    session = (await network.services.visio.cycle.upcoming())[0]
    await answer(bruno, "/sessions", "réservée à l’équipe d’animation")
    forged = [
        "vs_admin:1:slot",
        "vs_admin:1:link",
        "vs_slot:1:1:MO:0900:60",
        f"vs_sact:1:{session.id}:postpone",
        f"vs_cancel:1:{session.id}:yes",
        "vs_tact:1:1:reject",
        "vs_merge:1:1:2",
    ]
    for data in forged:
        await bruno.tap_data(data)
        toast = await bruno.expect("réservée à l’équipe d’animation")
        assert toast["show_alert"]
    group = network.sandbox.add_group("Réseau", members=[bruno])
    await network.sandbox.wait_idle()
    await bruno.send_in(group, "/groupe_visio")
    await group.expect("réservée à l’équipe d’animation")
    settings = await network.services.visio.cycle.settings()
    assert settings.rule == "FREQ=MONTHLY;BYDAY=2TU" and settings.group_chat_id is None
    assert (await network.services.visio.cycle.session(session.id)).status == "planned"
    refused = [(e.action, e.allowed) for e in await network.services.audit.for_user(bruno.user_id)]
    assert refused == [
        ("visio_sessions", False),
        ("visio_admin", False),
        ("visio_settings", False),
        ("visio_slot", False),
        ("visio_session_input", False),
        ("visio_cancel", False),
        ("visio_topic_input", False),
        ("visio_merge", False),
        ("visio_group", False),
    ]


async def test_forged_or_stale_member_buttons_expire(clocked_network: Network) -> None:
    network = clocked_network
    bruno = await network.member("Bruno")
    await answer(bruno, "/visio", "Visios mensuelles du réseau")
    for data in (
        "vs_vote:1:999:1",
        "vs_vote:1:abc:1",
        "vs_rsvp:1:1:maybe",
        "vs_ics:1:42",
        "vs_rate:1:x:9",
        "vs_menu:1:nothing",
        "vs_vote:2:1:1",
    ):
        await bruno.tap_data(data)
        await bruno.expect("Ce bouton a expiré.")


async def test_bad_links_windows_reminders_and_rules_are_refused(clocked_network: Network) -> None:
    network = clocked_network
    anne = await network.animator()

    async def setting(button: str, question: str, bad: list[tuple[str, str]], good: str) -> None:
        await answer(anne, "/sessions", "Réglages des visios")
        await anne.tap(button)
        await anne.expect(question)
        for text, error in bad:
            await answer(anne, text, error)
        await answer(anne, good, "C’est enregistré")

    link_error = "Ce lien n’est pas valide : il doit commencer par http:// ou https://."
    await setting(
        "🔗 Salle fixe",
        "Envoyez le lien",
        [
            ("ftp://visio.example.org", link_error),
            ("javascript:alert(1)", link_error),
            ("visio.example.org", link_error),
        ],
        "https://visio.example.org/salle",
    )
    await setting(
        "⏱ Fenêtres",
        "Envoyez trois nombres",
        [("14 21 7", "Écrivez trois nombres de jours"), ("21 14", "Écrivez trois nombres")],
        "28 14 7",
    )
    await setting(
        "🔔 Rappels",
        "Quand envoyer les rappels",
        [("7 jours", "Je n’ai pas compris"), ("0h", "Je n’ai pas compris")],
        "2j 1h",
    )
    await answer(anne, "/sessions", "Réglages des visios")
    await anne.tap("🗓 Créneau")
    await anne.expect("Quelle semaine du mois ?")
    await anne.tap("✍️ Autre règle")
    await anne.expect("Écrivez la règle (RFC 5545)")
    await answer(anne, "FREQ=DAILY 14:00", "Cette règle n’est pas valide.")
    await answer(anne, "FREQ=WEEKLY;BYDAY=MO,TU 10:00", "à moins d’une semaine d’écart")
    await answer(anne, "FREQ=MONTHLY;BYDAY=3TH 25:00", "Cette heure n’est pas valide")
    await answer(anne, "FREQ=MONTHLY;BYDAY=3TH 09:30 5", "entre 30 et 480 minutes")
    saved = await answer_and_get(anne, "FREQ=MONTHLY;BYDAY=3TH 09:30 90", "C’est enregistré")
    assert "le 3e jeudi du mois, 9 h 30 – 11 h 00" in saved["text"]
    settings = await network.services.visio.cycle.settings()
    assert settings.link == "https://visio.example.org/salle"
    assert (settings.proposal_days, settings.reminders) == (28, (2880, 60))


async def test_a_month_without_proposals_warns_the_animators_and_the_cycle_goes_on(
    clocked_network: Network,
) -> None:
    network = clocked_network
    anne = await network.animator()
    bruno = await network.member("Bruno")
    await second_tuesday(network)
    await network.reach(paris(2030, 3, 19, 14))
    await bruno.expect("Proposez-les dès maintenant")
    await network.reach(paris(2030, 3, 24, 14))  # two days before the vote opens
    await anne.expect("Aucun sujet n’est proposé pour la visio du mardi 9 avril 2030")
    await bruno.expect_nothing()
    await network.reach(paris(2030, 3, 26, 14))
    await anne.expect("n’a pas pu ouvrir : aucun sujet n’a été proposé")
    await bruno.expect_nothing()
    await network.reach(paris(2030, 4, 10, 12))  # nothing left to send for April
    await bruno.expect_nothing()
    # May runs as usual once a topic is proposed.
    await network.reach(paris(2030, 4, 23, 14))
    await bruno.expect("Visio du mardi 14 mai 2030")
    await answer(bruno, "/proposer", "Quel sujet")
    await answer(bruno, "Accueil", "description")
    await answer(bruno, "/passer", "rejoint")
    await network.reach(paris(2030, 4, 30, 14))
    await bruno.expect("Vote : visio du mardi 14 mai 2030")
    history = await network.services.visio.attendance.history(2030)
    assert [e.session.status for e in history[:2]] == ["no_topic", "voting"]


async def test_votes_on_a_cancelled_session_or_from_non_members_do_not_count(
    clocked_network: Network,
) -> None:
    network = clocked_network
    anne = await network.animator()
    bruno = await network.member("Bruno")
    zoe = network.newcomer("Zoé")  # in the group, never registered with the bot
    group = network.sandbox.add_group("Réseau", members=[anne, bruno, zoe])
    await network.sandbox.wait_idle()
    await second_tuesday(network)
    await answer_and_get(anne, "/sessions", "Réglages")
    await anne.send_in(group, "/groupe_visio")
    await group.expect("groupe du réseau")
    visio = network.services.visio
    topic = await visio.topics.propose(bruno.user_id, "Accueil")
    await network.reach(paris(2030, 3, 26, 14))
    await bruno.expect("Vote : visio")
    poll = await group.expect_poll("Visio du mardi 9 avril 2030")
    await zoe.answer_poll(poll, [0])
    await network.sandbox.wait_idle()
    session = (await visio.ballots.open_votes())[0]
    assert await visio.ballots.view(session.id, zoe.user_id) is not None
    assert (await visio.ballots.view(session.id, zoe.user_id)).ticked == frozenset()
    await answer(anne, "/sessions", "Réglages")
    await anne.tap("📅 Visios à venir")
    await anne.expect("Visios à venir")
    await anne.tap("9 avril · visio mensuelle")
    await anne.expect("État : vote en cours")
    await anne.tap("❌ Annuler")
    await anne.expect("Annuler la visio")
    await anne.tap("Oui, annuler")
    await anne.expect("C’est annulé")
    await network.run_due()
    await bruno.expect("Visio annulée : « visio mensuelle » du mardi 9 avril 2030")
    assert network.sandbox.world.polls[poll["poll"]["id"]].is_closed
    await bruno.tap("☐ Accueil")
    await bruno.expect("Cette visio a été annulée.")
    assert (await visio.topics.get(topic.id)).status is TopicStatus.OPEN
    await network.reach(paris(2030, 4, 2, 14))
    await bruno.expect_nothing()  # no announcement for a cancelled session


async def test_postponing_to_the_past_is_refused(clocked_network: Network) -> None:
    network = clocked_network
    anne = await network.animator()
    await network.services.visio.cycle.create_oneoff("Spécial RGPD", "20/03/2030 10:00")
    await answer(anne, "/sessions", "Réglages")
    await anne.tap("📅 Visios à venir")
    await anne.expect("Visios à venir")
    await anne.tap("20 mars · Spécial RGPD")
    await anne.expect("État : programmée")
    await anne.tap("⏩ Reporter")
    await anne.expect("Nouvelle date et heure")
    await answer(anne, "01/03/2030 10:00", "est déjà passé")
    await answer(anne, "20/03/2030", "Il manque l’heure")
    await answer(anne, "27/03/2030 10:00", "C’est reporté au mercredi 27 mars 2030 à 10 h 00")


async def test_steps_missed_while_the_bot_was_down_run_once_at_start_up(
    clocked_network: Network,
) -> None:
    network = clocked_network
    bruno = await network.member("Bruno")
    await second_tuesday(network)
    await network.services.visio.topics.propose(bruno.user_id, "Accueil")
    await network.stop()
    network.clock.set(paris(2030, 3, 27, 9))  # the call and the vote opening passed meanwhile
    await network.start()
    ran = await network.reach(paris(2030, 3, 27, 9))
    assert any(job.startswith("visio:") for job in ran)
    await bruno.expect("Proposez-les dès maintenant")
    await bruno.expect("Vote : visio du mardi 9 avril 2030")
    await network.restart()
    await network.reach(paris(2030, 3, 27, 10))
    await bruno.expect_nothing()


async def test_stale_admin_buttons_expire_once_without_error(clocked_network: Network) -> None:
    network = clocked_network
    anne = await network.animator()
    await answer(anne, "/sessions", "Réglages des visios")
    for data in (
        "vs_topic:1:999",
        "vs_sess:1:999",
        "vs_sact:1:999:postpone",
        "vs_tact:1:999:edit",
        "vs_tact:1:999:merge",
        "vs_sact:1:999:cancel",
        "vs_slot:1:9:TU:x:x",
    ):
        await anne.tap_data(data)
        await anne.expect("Ce bouton a expiré.")
    await anne.expect_nothing()  # one answer per press, no error message


async def test_html_in_titles_is_shown_literally_on_buttons_and_in_the_poll(
    clocked_network: Network,
) -> None:
    network = clocked_network
    anne = await network.animator()
    bruno = await network.member("Bruno")
    group = network.sandbox.add_group("Réseau", members=[anne, bruno])
    await network.sandbox.wait_idle()
    await second_tuesday(network)
    await network.services.visio.cycle.set_group(group.chat_id)
    await network.services.visio.topics.propose(bruno.user_id, "R&D <Sud> &amp; co")
    await answer(anne, "/sessions", "Réglages")
    await anne.tap("💡 Sujets")
    await anne.expect("Sujets en attente")
    assert anne.buttons() == [["R&D <Sud> &amp; co"]]
    await network.reach(paris(2030, 3, 26, 14))
    await bruno.expect("Vote : visio")
    assert bruno.buttons() == [["☐ R&D <Sud> &amp; co"]]
    poll = await group.expect_poll("Visio du")
    assert poll["poll"]["options"][0]["text"] == "R&D <Sud> &amp; co"
    await bruno.tap("☐ R&D <Sud> &amp; co")
    await bruno.expect("1 sujet coché")
    assert bruno.buttons() == [["☑ R&D <Sud> &amp; co"]]
