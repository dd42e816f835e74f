"""Two full monthly cycles of video sessions on a controllable clock, through the sandbox."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.clock import FrozenClock
from bot.sandbox import SimUser
from tests.e2e.conftest import Network

PARIS = ZoneInfo("Europe/Paris")
LINK = "https://visio.example.org/reseau"


def paris(*args: int) -> datetime:
    """A Paris wall-clock time."""
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


async def shown(member: SimUser, text: str, seconds: float = 5.0) -> dict[str, Any]:
    """The bot's message containing ``text`` in the member's chat, in whatever order it came."""
    deadline = time.monotonic() + seconds
    while True:
        messages = member.messages().values()
        found = [m for m in messages if m["from"] == "bot" and text in m["text"]]
        if found:
            return found[-1]
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"{member.name}: no message containing {text!r}"
        await member.wait(remaining)


async def propose(member: SimUser, title: str, description: str | None = None) -> None:
    """A French-speaking member proposes a topic with /proposer (description optional)."""
    await member.send("/proposer")
    await member.expect("Quel sujet proposez-vous")
    await member.send(title)
    await member.expect("Ajoutez si vous le souhaitez une description")
    await member.send(description or "/passer")
    await member.expect("rejoint les sujets proposés")


async def open_sessions(animator: SimUser, button: str) -> None:
    """The animator opens /sessions and taps one of its buttons."""
    await animator.send("/sessions")
    await animator.expect("Réglages des visios")
    await animator.tap(button)


async def test_two_monthly_cycles(clocked_network: Network, clock: FrozenClock) -> None:
    network = clocked_network
    anne = await network.animator()
    bruno = await network.member("Bruno")
    chloe = await network.member("Chloé")
    david = await network.member("David")
    emma = await network.member("Emma", "en")
    group = network.sandbox.add_group("Réseau France Services", members=[anne, chloe, david])
    await network.sandbox.wait_idle()

    # The animator sets the slot with buttons, the fixed room, and the network's group.
    await open_sessions(anne, "🗓 Créneau")
    await anne.expect("Quelle semaine du mois ?")
    await anne.tap("2e")
    await anne.expect("Quel jour de la semaine ?")
    await anne.tap("mardi")
    await anne.expect("À quelle heure")
    await anne.tap("14 h 00")
    await anne.expect("Quelle durée ?")
    await anne.tap("120 min")
    saved = await anne.expect("C’est enregistré : le 2e mardi du mois, 14 h 00 – 16 h 00.")
    assert "Prochaine visio : mardi 9 avril 2030 à 14 h 00" in saved["text"]
    await open_sessions(anne, "🔗 Salle fixe")
    await anne.expect("Envoyez le lien")
    await anne.send(LINK)
    await anne.expect(f"la salle fixe est {LINK}")
    await anne.send_in(group, "/groupe_visio")
    await group.expect("Ce groupe est désormais le groupe du réseau")

    # Cycle 1 — proposals open 21 days before (19 March, 14:00 Paris).
    await network.reach(paris(2030, 3, 19, 13, 59))
    await bruno.expect_nothing()
    await network.reach(paris(2030, 3, 19, 14))
    await bruno.expect("Visio du mardi 9 avril 2030 à 14 h 00")
    await bruno.tap("💡 Proposer un sujet")
    await bruno.expect("Quel sujet proposez-vous")
    await bruno.send("Accueil des usagers")
    await bruno.expect("Ajoutez si vous le souhaitez une description")
    await bruno.send("/passer")
    await bruno.expect("« Accueil des usagers » rejoint les sujets proposés")
    clock.set(paris(2030, 3, 19, 15))
    await propose(
        chloe, "Démarches en ligne", "Aider les usagers avec les sites des administrations."
    )
    await david.send("/proposer")
    await david.expect("Quel sujet proposez-vous")
    await david.send("  accueil des USAGERS !")
    await david.expect("Ce sujet est déjà proposé : « Accueil des usagers »")
    clock.set(paris(2030, 3, 19, 16))
    await emma.send("/propose")
    await emma.expect("Which topic would you like")
    await emma.send("Digital inclusion")
    await emma.expect("Add a description")
    await emma.send("/skip")
    await emma.expect("“Digital inclusion” joins the proposed topics")

    # The vote opens 14 days before (26 March, 14:00 CET): private ballots and the group poll.
    await network.reach(paris(2030, 3, 26, 14))
    await bruno.expect("Vote : visio du mardi 9 avril 2030 à 14 h 00")
    assert bruno.buttons() == [
        ["☐ Accueil des usagers"],
        ["☐ Démarches en ligne"],
        ["☐ Digital inclusion"],
    ]
    poll = await group.expect_poll("Visio du mardi 9 avril 2030")
    assert [o["text"] for o in poll["poll"]["options"]] == [
        "Accueil des usagers",
        "Démarches en ligne",
        "Digital inclusion",
    ]
    await bruno.tap("☐ Démarches en ligne")
    redrawn = await bruno.expect("Votre bulletin : 1 sujet coché.")
    assert redrawn["buttons"][1][0]["text"] == "☑ Démarches en ligne"
    await chloe.answer_poll(poll, [0, 1])
    await david.expect("Vote : visio du")
    await david.tap("☐ Accueil des usagers")
    await david.expect("Votre bulletin : 1 sujet coché.")
    await david.answer_poll(poll, [2])  # the poll answer replaces his private ticks
    await emma.expect("Vote: session of")
    await emma.tap("☐ Digital inclusion")
    await emma.expect("Your ballot: 1 topic ticked.")
    await network.sandbox.wait_idle()

    # The vote closes 7 days before (2 April, 14:00 CEST, after the DST change).
    await network.reach(paris(2030, 4, 2, 13, 59))
    await bruno.expect_nothing()
    await network.reach(paris(2030, 4, 2, 14))
    result = await bruno.expect("Résultat du vote")
    assert "Sujet retenu : « Démarches en ligne »" in result["text"]
    assert "• Démarches en ligne : 2 voix" in result["text"]
    assert "• Digital inclusion : 2 voix" in result["text"]
    assert "• Accueil des usagers : 1 voix" in result["text"]
    assert "4 membres ont voté." in result["text"]
    assert "le sujet proposé en premier l’emporte" in result["text"]
    invitation = await bruno.expect("Serez-vous là ?")
    assert f"Lien : {LINK}" in invitation["text"]
    assert "Aider les usagers avec les sites des administrations." in invitation["text"]
    assert "mardi 9 avril 2030 à 14 h 00 – 16 h 00" in invitation["text"]
    await emma.expect("Vote result")
    await group.expect("Visio du mardi 9 avril 2030")  # the poll is stopped (an edit)
    assert network.sandbox.world.polls[poll["poll"]["id"]].is_closed
    await bruno.tap("☑ Démarches en ligne", message_id=redrawn["message_id"])
    await bruno.expect("Le vote est clos")

    # The invitation carries the calendar file, parsed back; the button sends it again.
    await emma.expect("Will you be there?")
    ics = await emma.expect_document()
    assert "add the session to your calendar" in ics.caption
    event = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2030, 4, 9, 14, tzinfo=PARIS)
    assert str(event["dtstart"].params["TZID"]) == "Europe/Paris"
    assert event.decoded("dtend") == datetime(2030, 4, 9, 16, tzinfo=PARIS)
    assert str(event["url"]) == LINK and str(event["summary"]) == "Démarches en ligne"
    assert ics.filename == "visio-2030-04-09.ics"
    await emma.tap("📅 Add to my calendar")
    again = await emma.expect_document()
    assert again.filename == ics.filename
    assert Calendar.from_ical(again.data).walk("VEVENT")[0]["uid"] == event["uid"]
    await david.expect("Serez-vous là ?")
    await david.tap("❌ Je ne peux pas")
    await david.expect("vous ne recevrez pas les rappels")
    await bruno.tap("✅ J’y serai")
    await bruno.expect("vous serez là")
    await bruno.expect_document()

    # Reminders at the local times, to those who did not decline; the hour one has the link.
    await network.reach(paris(2030, 4, 8, 13, 59))
    await bruno.expect_nothing()
    await network.reach(paris(2030, 4, 8, 14))
    await bruno.expect("Rappel : visio « Démarches en ligne » le mardi 9 avril 2030 à 14 h 00")
    await emma.expect("Reminder: session “Démarches en ligne”")
    await david.expect_nothing()
    await network.reach(paris(2030, 4, 9, 13))
    hour = await bruno.expect("Rappel")
    assert f"Lien : {LINK}" in hour["text"]

    # After the session: "I attended", and the diagnostic feature's satisfaction questionnaire
    # (1-5 and a free text) to those who did not decline; the report three days later.
    await network.reach(paris(2030, 4, 9, 16))
    over = await shown(bruno, "La visio « Démarches en ligne » est terminée")
    survey = await shown(bruno, "Votre avis sur la session")  # the two sends may come in any order
    await bruno.tap("✅ J’y étais", message_id=over["message_id"])
    await bruno.expect("vous y étiez")
    await bruno.tap("✍️ Répondre", message_id=survey["message_id"])
    await bruno.expect("Question 1/2")
    await bruno.tap("4 · Satisfait·e")
    await bruno.expect("Question 2/2")
    await bruno.send("Très utile, merci <3")
    await bruno.expect("Merci !")
    over = await shown(chloe, "est terminée")
    await chloe.tap("Je n’ai pas pu venir", message_id=over["message_id"])
    await chloe.expect("C’est noté, merci.")
    assert await shown(emma, "The session “Démarches en ligne” is over")
    assert await shown(emma, "Your view of the session")
    await david.expect_nothing()
    campaign_id = (await network.services.visio.cycle.session(1)).feedback_campaign
    assert campaign_id is not None
    response = await network.services.diagnostics.answering.response(campaign_id, bruno.user_id)
    assert response is not None and response.completed
    await network.reach(paris(2030, 4, 12, 16))
    report = await anne.expect("Bilan de la visio « Démarches en ligne »")
    assert "Réponses à l’invitation : 1 oui, 1 non" in report["text"]
    assert "Présent·es déclaré·es : 1" in report["text"]
    assert "à partir de 5 réponses au questionnaire (1 pour l’instant)" in report["text"]
    assert "Très utile" not in report["text"]  # below the anonymity threshold

    # Cycle 2: the unchosen topics are offered again, with the new one.
    await network.reach(paris(2030, 4, 23, 14))
    call = await bruno.expect("Visio du mardi 14 mai 2030 à 14 h 00")
    assert "2 sujets sont déjà en attente." in call["text"]
    await propose(bruno, "Accueil des familles")
    await network.reach(paris(2030, 4, 30, 14))
    await bruno.expect("Vote : visio du mardi 14 mai 2030")
    assert bruno.buttons() == [
        ["☐ Accueil des usagers"],
        ["☐ Digital inclusion"],
        ["☐ Accueil des familles"],
    ]
    poll = await group.expect_poll("Visio du mardi 14 mai 2030")
    await chloe.answer_poll(poll, [2])
    await bruno.tap("☐ Accueil des familles")
    await bruno.expect("Votre bulletin : 1 sujet coché.")
    await network.reach(paris(2030, 5, 7, 14))
    result = await bruno.expect("Résultat du vote")
    assert "Sujet retenu : « Accueil des familles »" in result["text"]
    assert "• Accueil des familles : 2 voix" in result["text"]
    assert "égalité" not in result["text"]
    await bruno.expect("Serez-vous là ?")
    await emma.expect("Will you be there?")
    await emma.expect_document()  # the invitation's file, in before the postponement's

    # The animator postpones the session: members told, the calendar file carries the change.
    await open_sessions(anne, "📅 Visios à venir")
    await anne.expect("Visios à venir")
    await anne.tap("14 mai · Accueil des familles")
    await anne.expect("État : programmée")
    await anne.tap("⏩ Reporter")
    await anne.expect("Nouvelle date et heure")
    await anne.send("le 31 février à 10 h")
    await anne.expect("Je n’ai pas compris cette date")
    await anne.send("21/05/2030 10:00")
    await anne.expect("C’est reporté au mardi 21 mai 2030 à 10 h 00")
    await network.run_due()
    moved = await emma.expect("Session postponed")
    assert "to Tuesday 21 May 2030 at 10:00" in moved["text"]
    event = Calendar.from_ical((await emma.expect_document()).data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2030, 5, 21, 10, tzinfo=PARIS)
    assert int(event["sequence"]) == 1
    await bruno.expect("Visio reportée : « Accueil des familles »")
    assert (await bruno.expect_document()).filename == "visio-2030-05-21.ics"
    await network.reach(paris(2030, 5, 13, 14))
    await bruno.expect_nothing()  # no reminder for the old date
    await network.reach(paris(2030, 5, 20, 10))
    await bruno.expect("Rappel : visio « Accueil des familles » le mardi 21 mai 2030 à 10 h 00")

    # Then cancels it: members told, the calendar file cancels the event, no more reminders.
    await open_sessions(anne, "📅 Visios à venir")
    await anne.expect("Visios à venir")
    await anne.tap("21 mai · Accueil des familles")
    await anne.expect("État : programmée")
    await anne.tap("❌ Annuler")
    await anne.expect("Annuler la visio « Accueil des familles »")
    await anne.tap("Oui, annuler")
    await anne.expect("C’est annulé")
    await network.run_due()
    await bruno.expect("Visio annulée : « Accueil des familles » du mardi 21 mai 2030 à 10 h 00")
    notice = await bruno.expect_document()
    assert "retirer la visio annulée" in notice.caption
    cancelled = Calendar.from_ical(notice.data)
    assert str(cancelled["method"]) == "CANCEL"
    event = cancelled.walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 2
    await network.reach(paris(2030, 5, 21, 9, 30))
    await bruno.expect_nothing()
