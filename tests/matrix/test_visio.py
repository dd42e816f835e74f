"""The monthly visio's topic vote through Matrix: proposals and the private ballot by numbers."""

from __future__ import annotations

from datetime import time

from tests.e2e.visio.test_cycle import paris
from tests.matrix.gateway import MatrixNetwork


async def test_topics_proposed_and_voted_by_numbers(
    clocked_matrix_network: MatrixNetwork,
) -> None:
    network = clocked_matrix_network
    bruno = await network.registered("Bruno")
    chloe = await network.registered("Chloé")
    await network.services.visio.cycle.set_slot("FREQ=MONTHLY;BYDAY=2TU", time(14), 120)

    await network.reach(paris(2030, 3, 19, 14))  # proposals open 21 days before
    await bruno.expect("Visio du mardi 9 avril 2030 à 14 h 00")
    await bruno.choose("Proposer un sujet")
    await bruno.expect("Quel sujet proposez-vous")
    await bruno.send("Accueil des usagers")
    await bruno.expect("Ajoutez si vous le souhaitez une description")
    await bruno.send("!passer")
    await bruno.expect("« Accueil des usagers » rejoint les sujets proposés")
    await chloe.send("!proposer")
    await chloe.expect("Quel sujet proposez-vous")
    await chloe.send("Démarches en ligne")
    await chloe.expect("Ajoutez si vous le souhaitez une description")
    await chloe.send("Aider les usagers avec les sites des administrations.")
    await chloe.expect("rejoint les sujets proposés")

    await network.reach(paris(2030, 3, 26, 14))  # the vote opens 14 days before
    await bruno.expect("Vote : visio du mardi 9 avril 2030 à 14 h 00")
    assert list(bruno.choices()) == ["☐ Accueil des usagers", "☐ Démarches en ligne"]
    await bruno.choose("Démarches en ligne")
    await bruno.expect("Votre bulletin : 1 sujet coché.")
    assert "☑ Démarches en ligne" in bruno.choices()
    ballot = await chloe.expect("Vote : visio du")
    await chloe.choose("Démarches en ligne")
    await chloe.expect("Votre bulletin : 1 sujet coché.")
    await chloe.react(ballot["event_id"], "1️⃣")  # a keycap reaction: the same press
    await chloe.expect("Votre bulletin : 2 sujets cochés.")

    await network.reach(paris(2030, 4, 2, 14))  # closed 7 days before
    result = await bruno.expect("Résultat du vote")
    assert "Sujet retenu : « Démarches en ligne »" in result["body"]
    assert "• Démarches en ligne : 2 voix" in result["body"]
    assert "• Accueil des usagers : 1 voix" in result["body"]
    await bruno.expect("Serez-vous là ?")
    await bruno.choose("J’y serai")
    await bruno.expect("vous serez là")
    await chloe.react(ballot["event_id"], "2️⃣")  # a stale press, answered as on Telegram
    await chloe.expect("Le vote est clos")
