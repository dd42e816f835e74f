"""Diagnostic bad input: each gets a clear answer in the member's language and loses nothing."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

from bot.domain.diagnostic.model import Answer
from bot.sandbox import SimUser
from tests.e2e.conftest import Network
from tests.e2e.diagnostic.steps import open_campaign

BROKEN = """
id = "broken"
title = { fr = "Cassé", en = "Broken" }
intro = { fr = "…", en = "…" }
[[themes]]
id = "t"
title = { fr = "T", en = "T" }
[[questions]]
id = "q1"
theme = "t"
kind = "slider"
text = { fr = "Q", en = "Q" }
"""


async def satisfaction(network: Network, members: list[SimUser], anonymous: bool = True):
    """A satisfaction campaign open for a day, its invitations delivered."""
    return await open_campaign(network, "satisfaction", members, 1, anonymous=anonymous)


async def test_free_text_over_the_limit_is_refused_with_the_limit_and_survives_a_restart(
    clocked_network: Network,
) -> None:
    network = clocked_network
    bruno = await network.member("Bruno")
    emma = await network.member("Emma", "en")
    campaign = await satisfaction(network, [bruno, emma])
    await bruno.expect("Votre avis sur la session")
    await bruno.tap("✍️ Répondre")
    await bruno.expect("Question 1/2")
    await bruno.tap("4 · Satisfait·e")
    await bruno.expect("500 caractères au plus")
    await network.restart()  # waiting for a typed answer survives a restart
    await bruno.send_sticker()
    await bruno.expect("Merci de répondre par un message texte.")
    await bruno.send("é" * 501)
    await bruno.expect(
        "C’est trop long : 500 caractères au plus (votre réponse en compte 501). "
        "Raccourcissez-la et renvoyez-la ; rien n’a été enregistré."
    )
    answering = network.services.diagnostics.answering
    assert "comment" not in (await answering.response(campaign.id, bruno.user_id)).answers
    await bruno.send("<b>Très</b> utile & concret")
    summary = await bruno.expect("Merci !")
    assert "→ <b>Très</b> utile & concret" in summary["text"]
    stored = (await answering.response(campaign.id, bruno.user_id)).answers["comment"]
    assert stored == Answer(text="<b>Très</b> utile & concret")

    await emma.expect("Your view of the session")
    await emma.tap("✍️ Answer")
    await emma.expect("Question 1/2")
    await emma.tap("5 · Very satisfied")
    await emma.expect("500 characters at most")
    await emma.send("x" * 600)
    await emma.expect("That is too long: 500 characters at most (your answer has 600).")


async def test_old_buttons_expire_and_two_racing_taps_store_one_answer(
    clocked_network: Network,
) -> None:
    network = clocked_network
    bruno = await network.member("Bruno")
    campaign = await satisfaction(network, [bruno])
    await bruno.expect("Votre avis sur la session")
    await bruno.tap("✍️ Répondre")
    question = await bruno.expect("Question 1/2")
    await asyncio.gather(
        bruno.tap("2 · Peu satisfait·e", message_id=question["message_id"]),
        bruno.tap("5 · Très satisfait·e", message_id=question["message_id"]),
    )
    await bruno.expect("Question 2/2")
    await bruno.expect("Ce bouton a expiré.")
    answering = network.services.diagnostics.answering
    response = await answering.response(campaign.id, bruno.user_id)
    assert response.position == 1
    assert response.answers == {"overall": Answer(("2",))} or response.answers == {
        "overall": Answer(("5",))
    }
    before = response.answers
    await bruno.tap("1 · Pas du tout satisfait·e", message_id=question["message_id"])
    await bruno.expect("Ce bouton a expiré.")
    await bruno.tap_data(f"dq_ans:1:{campaign.id}:1:99")
    await bruno.expect("Ce bouton a expiré.")
    await bruno.tap_data("dq_ans:1:x:y:z")
    await bruno.expect("Ce bouton a expiré.")
    assert (await answering.response(campaign.id, bruno.user_id)).answers == before


async def test_members_cannot_use_animator_buttons_or_campaigns_not_for_them(
    clocked_network: Network,
) -> None:
    network = clocked_network
    bruno = await network.member("Bruno")
    chloe = await network.member("Chloé")
    campaign = await satisfaction(network, [bruno])
    await bruno.expect("Votre avis")
    await chloe.send("/diagnostic")
    await chloe.expect("Aucun questionnaire ne vous attend")
    await chloe.tap_data(f"dq_go:1:{campaign.id}")
    await chloe.expect("Ce questionnaire ne vous est pas adressé.")
    for forged in (f"dq_act:1:{campaign.id}:who", f"dq_card:1:{campaign.id}", "dq_new:1"):
        await chloe.tap_data(forged)
        await chloe.expect("réservée à l’équipe d’animation")
    audit = await network.services.audit.for_user(chloe.user_id)
    refused = [(e.action, e.allowed) for e in audit if not e.allowed]
    assert ("diagnostic_action", False) in refused
    assert ("diagnostic_card", False) in refused
    assert ("diagnostic_launch", False) in refused
    assert await network.services.diagnostics.answering.response(campaign.id, chloe.user_id) is None


async def test_a_malformed_questionnaire_file_is_reported_and_the_others_load(
    clocked_network: Network, tmp_path: Path
) -> None:
    network = clocked_network
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "broken.toml").write_text(BROKEN, encoding="utf-8")
    (folder / "local.toml").write_text(
        BROKEN.replace('"broken"', '"local"').replace("slider", "text").replace("Cassé", "Local"),
        encoding="utf-8",
    )
    await network.restart()
    anne = await network.animator()
    await anne.send("/diagnostic")
    shown = await anne.expect("Campagnes de questionnaires")
    assert (
        "⚠️ Fichier de questionnaire non chargé : broken.toml: question 'q1': unknown kind 'slider'"
        in shown["text"]
    )
    await anne.tap("➕ Nouvelle campagne")
    await anne.expect("Quel questionnaire")
    labels = [label for row in anne.buttons() for label in row]
    assert labels == [
        "Diagnostic du fonctionnement du réseau (21 questions)",
        "Votre avis sur la session (2 questions)",
        "Local (1 question)",
    ]


async def test_erasure_takes_answers_out_of_a_named_campaign_and_keeps_the_counts(
    clocked_network: Network,
) -> None:
    network = clocked_network
    services = network.services
    anne = await network.animator()
    names = (
        "Bruno Artaud",
        "Chloé Benoît",
        "Dan Caradec",
        "Elsa Dufresne",
        "Farid Ebrard",
        "Gaëlle Fournel",
    )
    members = [await network.member(name) for name in names]
    campaign = await satisfaction(network, members, anonymous=False)
    answering = services.diagnostics.answering
    for member in members:
        await answering.begin(campaign.id, member.user_id)
        await answering.choose(campaign.id, member.user_id, 0, 3)
        await answering.write(member.user_id, f"Avis de {member.name}")
    bruno = members[0]
    await bruno.send("/supprimer")
    await bruno.expect("Voulez-vous vraiment effacer")
    await bruno.tap("Oui, tout effacer")
    await bruno.expect("Vos données personnelles ont été effacées.")

    await anne.send("/diagnostic")
    await anne.expect("Campagnes de questionnaires")
    await anne.tap("📋 n° 1 · Votre avis sur la session")
    await anne.expect("Participation : 6 sur 6 ont terminé")
    await anne.tap("📄 Export tableur")
    exported = await anne.expect_document()
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig")), delimiter=";"))
    assert sorted(row[0] for row in rows[1:]) == list(names[1:])
    assert "Avis de Bruno" not in exported.data.decode("utf-8-sig")
    await anne.expect_document()
    await anne.tap("📊 Résultats")
    results = await anne.expect("6 répondant·e(s)")
    assert "Moyenne 4,0/5 · 6 réponse(s)" in results["text"]
    assert "Avis de Bruno" not in results["text"] and "5 réponses libres" in results["text"]
    assert await answering.response(campaign.id, bruno.user_id) is None
