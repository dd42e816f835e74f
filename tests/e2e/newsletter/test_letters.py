"""/lettre and /rappel through the sandbox: authoring, preview, test send, sending now or at a
time, cancelling, long text split, the delivery report and its explicit resend."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.delivery.content import visible_length
from bot.domain.newsletter.model import BroadcastKind
from bot.sandbox import RateLimits, Sandbox, SimUser
from tests.conftest import register
from tests.e2e.conftest import Network

PARIS = ZoneInfo("Europe/Paris")
OPT_OUT_LETTER = [["🔕 Ne plus recevoir la lettre"]]


def paris(*fields: int) -> datetime:
    """A wall-clock time in the network's zone."""
    return datetime(*fields, tzinfo=PARIS).astimezone(UTC)


def received(sandbox: Sandbox, text: str) -> Counter[int]:
    """How many messages containing ``text`` each chat received."""
    return Counter(
        int(r.params["chat_id"])
        for r in sandbox.requests
        if r.method == "sendMessage" and r.status == 200 and text in r.params["text"]
    )


async def write(animator: SimUser, command: str, *texts: str) -> None:
    """Open the flow and type the text, one message per paragraph."""
    await animator.send(command)
    await animator.expect("Écrivez")
    for text in texts:
        await animator.send(text)
        await animator.expect("Ajouté au brouillon")


async def preview(animator: SimUser) -> dict:
    """Tap « Aperçu »; return the panel under the preview (the preview itself is skipped)."""
    await animator.tap("Aperçu")
    return await animator.expect("Aperçu ci-dessus")


async def schedule_letter(animator: SimUser, text: str) -> None:
    """Write a letter, preview it and tap « Programmer »: the bot asks when."""
    await write(animator, "/lettre", text)
    await preview(animator)
    await animator.tap("Programmer")
    await animator.expect("Quand l’envoyer ?")


async def send_now(animator: SimUser, count: int, panel: int | None = None) -> dict:
    """From the panel (the latest, or message ``panel``): send now, confirm; the outcome."""
    await animator.tap("Envoyer maintenant", message_id=panel)
    confirm = await animator.expect("maintenant à")
    await animator.tap(f"Oui, envoyer à {count} membre", message_id=confirm["message_id"])
    return await animator.expect("C’est parti")


async def test_a_letter_is_written_previewed_tested_sent_and_reported(
    clocked_network: Network,
) -> None:
    network = clocked_network
    anne = await network.animator()
    chloe = await network.member("Chloé")
    emma = await network.member("Emma", "en")
    await network.member("<b>Zoé</b> & co")
    await write(anne, "/lettre", "Bonjour à toutes et à tous,", "La visio de <mars> approche.")

    await anne.tap("Aperçu")
    letter = await anne.expect("La lettre du réseau Réseau France Services Drôme")
    panel = await anne.expect("Aperçu ci-dessus")
    assert "La visio de <mars> approche." in letter["text"]
    assert "• <b>Zoé</b> & co (France Services Die, Drôme)" in letter["text"]
    assert anne.buttons(letter["message_id"]) == OPT_OUT_LETTER
    assert "tout le réseau ; 4 membres le recevront." in panel["text"]

    await anne.tap("M’envoyer un test")
    await anne.expect("Test envoyé")
    await network.run_due()
    test_copy = await anne.expect("La lettre du réseau")
    assert test_copy["text"] == letter["text"]
    await chloe.expect_nothing()

    await send_now(anne, 4, panel["message_id"])
    await network.run_due()
    french = await chloe.expect("La lettre du réseau")
    english = await emma.expect("The Réseau France Services Drôme newsletter")
    assert french["text"] == letter["text"]
    assert "Bonjour à toutes et à tous," in english["text"]
    assert "To stop receiving this newsletter" in english["text"]
    assert emma.buttons(english["message_id"]) == [["🔕 Stop the newsletter"]]
    report = await anne.expect("Rapport d’envoi : la lettre du réseau")
    assert "✅ Remis : 4" in report["text"] and "❌ Échecs : 0" in report["text"]
    assert anne.buttons(report["message_id"]) == []
    assert received(network.sandbox, "La lettre du réseau")[chloe.user_id] == 1
    draft = await network.services.newsletters.draft(anne.user_id, BroadcastKind.NEWSLETTER)
    assert draft.body == ""


async def test_a_scheduled_letter_fires_at_its_time_and_another_is_cancelled(
    clocked_network: Network,
) -> None:
    network = clocked_network  # 5 March 2030, 10:00 in Paris
    anne = await network.animator()
    chloe = await network.member("Chloé")
    await schedule_letter(anne, "La lettre de mercredi")
    await anne.send("05/03/2030 08:00")
    await anne.expect("Le mardi 5 mars 2030 à 8 h 00 est déjà passé.")
    await anne.send("bientôt")
    await anne.expect("Je n’ai pas compris cette date.")
    await anne.send("06/03/2030")
    await anne.expect("Il manque l’heure")
    await anne.send("06/03/2030 10:00")
    await anne.expect(
        "C’est programmé : la lettre du réseau partira le mercredi 6 mars 2030 à 10 h 00"
        " vers 2 membres (compte d’aujourd’hui)."
    )
    await schedule_letter(anne, "La lettre de jeudi")
    await anne.send("7 mars 2030 à 10 h")
    await anne.expect("C’est programmé")

    await anne.send("/lettre")
    await anne.expect("Écrivez")
    await anne.tap("Envois programmés (2)")
    listing = await anne.expect("Envois programmés")
    assert "• jeudi 7 mars 2030 à 10 h 00 : tout le réseau, 2 destinataires" in listing["text"]
    await anne.tap("Annuler l’envoi du jeudi 7 mars 2030 à 10 h 00")
    after = await anne.expect("Envoi du jeudi 7 mars 2030 à 10 h 00 annulé")
    assert anne.buttons(after["message_id"]) == [
        ["❌ Annuler l’envoi du mercredi 6 mars 2030 à 10 h 00"]
    ]

    await network.run_due()
    await chloe.expect_nothing()
    await network.reach(paris(2030, 3, 6, 10, 0))
    await chloe.expect("La lettre de mercredi")
    await anne.expect("Rapport d’envoi")
    await network.reach(paris(2030, 3, 8, 10, 0))
    await chloe.expect_nothing()
    assert received(network.sandbox, "La lettre de")[chloe.user_id] == 1


async def test_a_long_letter_is_split_between_paragraphs_and_the_animator_is_told(
    clocked_network: Network,
) -> None:
    network = clocked_network
    anne = await network.animator()
    chloe = await network.member("Chloé")
    words = " ".join(["<mot>"] * 560)  # about 3,400 characters
    await write(anne, "/lettre", f"Premier paragraphe. {words}", f"Second paragraphe. {words}")

    await anne.tap("Aperçu")
    first = await anne.expect("Premier paragraphe")
    second = await anne.expect("Second paragraphe")
    panel = await anne.expect("Aperçu ci-dessus")
    assert "il partira en 2 messages, coupés entre deux paragraphes" in panel["text"]
    assert "Second paragraphe" not in first["text"]
    assert anne.buttons(first["message_id"]) == []
    assert anne.buttons(second["message_id"]) == OPT_OUT_LETTER

    await send_now(anne, 2)
    await network.run_due()
    await chloe.expect("Premier paragraphe")
    last = await chloe.expect("Second paragraphe")
    assert chloe.buttons(last["message_id"]) == OPT_OUT_LETTER
    sent = [r for r in network.sandbox.requests if r.method == "sendMessage" and r.status == 200]
    assert all(visible_length(r.params["text"]) <= 4096 for r in sent)


async def test_the_report_counts_blocked_and_failed_and_offers_an_explicit_resend(
    clocked_network: Network,
) -> None:
    network = clocked_network
    anne = await network.animator()
    await network.member("Chloé")
    bruno = await network.member("Bruno")
    await register(network.services, 4242, "Fantôme")  # registered, unknown to Telegram: 400
    await write(anne, "/rappel", "Visio demain à 14 h.")
    await preview(anne)
    await send_now(anne, 4)
    bruno.block()  # after the rows were written: the engine meets the 403
    await network.run_due()

    report = await anne.expect("Rapport d’envoi : le rappel")
    assert "✅ Remis : 2" in report["text"]
    assert "❌ Échecs : 1" in report["text"] and "🚫 Bot bloqué : 1" in report["text"]
    assert (await network.services.members.get(bruno.user_id)).unreachable_at is not None
    await anne.tap("Renvoyer à 1 destinataire en échec ou incertain")
    await anne.expect("Nouvel envoi lancé pour 1 destinataire.")
    await network.run_due()
    again = await anne.expect("Rapport d’envoi : le rappel")
    assert "✅ Remis : 2" in again["text"] and "❌ Échecs : 1" in again["text"]


async def test_a_reminder_goes_through_429s_and_reaches_everyone_once(
    clocked_network: Network,
) -> None:
    network = clocked_network
    anne = await network.animator()
    members = [await network.member(f"Membre {i}") for i in range(24)]
    network.sandbox.rate_limits = RateLimits.telegram(scale=0.5)  # 15/s, the bot aims at 30/s
    await write(anne, "/rappel", "Pensez au questionnaire.")
    await preview(anne)
    await send_now(anne, 25)
    await network.run_due()

    report = await anne.expect("Rapport d’envoi", timeout=15)
    assert "✅ Remis : 25" in report["text"]
    assert network.sandbox.stats.too_many_requests > 0
    counts = received(network.sandbox, "Pensez au questionnaire.")
    assert [counts[m.user_id] for m in members] == [1] * len(members)


async def test_a_letter_due_while_the_bot_was_down_goes_out_once_whatever_the_restarts(
    clocked_network: Network,
) -> None:
    network = clocked_network
    anne = await network.animator()
    chloe = await network.member("Chloé")
    await schedule_letter(anne, "La lettre de midi")
    await anne.send("05/03/2030 11:00")
    await anne.expect("C’est programmé")

    await network.stop()
    network.clock.set(paris(2030, 3, 5, 12, 0))
    await network.start()
    await network.run_due()
    await chloe.expect("La lettre de midi")
    await anne.expect("Rapport d’envoi")
    await network.restart()
    await network.run_due()
    await network.restart()
    await network.run_due()
    await chloe.expect_nothing()
    assert received(network.sandbox, "La lettre de midi")[chloe.user_id] == 1
    assert received(network.sandbox, "Rapport d’envoi")[anne.user_id] == 1
