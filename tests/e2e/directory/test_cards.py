"""The directory through the sandbox: publish a card, search, browse, the chart, withdraw."""

from __future__ import annotations

import json

from bot.sandbox import SimUser
from tests.e2e.conftest import Network


async def publish(user: SimUser) -> dict:
    """/annuaire → Ma fiche → consent → the published card."""
    await user.send("/annuaire")
    await user.expect("Annuaire du réseau")
    await user.tap("🪪 Ma fiche")
    await user.expect("Voulez-vous publier votre fiche ?")
    await user.tap("✅ Oui, publier ma fiche")
    return await user.expect("Votre fiche, telle que les membres la voient")


async def edit(user: SimUser, button: str, value: str, expected: str = "Votre fiche") -> dict:
    """Change one line of one's card."""
    await user.tap(button)
    await user.expect("caractères au plus")
    await user.send(value)
    return await user.expect(expected)


async def test_publish_edit_and_find_a_card(network: Network) -> None:
    bruno = await network.member("Bruno")
    card = await publish(bruno)
    assert "France Services Die" in card["text"] and "Drôme" in card["text"]
    assert "Lui écrire" not in card["text"]  # no Telegram link until allowed
    await edit(bruno, "✏️ Compétences", "Accompagnement numérique & <impôts>")
    shown = await edit(bruno, "✏️ Contact", "bruno@mfs-die.example")
    assert "Accompagnement numérique & <impôts>" in shown["text"]
    await bruno.tap("💬 Autoriser un lien Telegram vers moi")
    with_link = await bruno.expect("Lui écrire sur Telegram")
    assert any(
        e.get("type") == "text_mention" and e["user"]["id"] == bruno.user_id
        for e in with_link.get("entities", [])
    )

    chloe = await network.member("Chloé")
    await chloe.send("/annuaire NUMERIQUE drome")
    await chloe.expect("« numerique drome » : 1 fiche")
    await chloe.tap("Bruno · France Services Die (Drôme)")
    shown = await chloe.expect("🧰 Accompagnement numérique & <impôts>")
    assert "bruno@mfs-die.example" in shown["text"]
    await chloe.send("/annuaire")
    await chloe.expect("Annuaire du réseau")
    await chloe.tap("🔎 Rechercher")
    await chloe.expect("Que cherchez-vous ?")
    await chloe.send("impô")
    await chloe.expect("« impo » : 1 fiche")

    emma = await network.member("Emma", "en")
    await emma.send("/directory accompagnement")
    await emma.expect("“accompagnement”: 1 card")


async def test_paged_results_browse_by_territory_and_the_chart(network: Network) -> None:
    services = network.services
    users = []
    for number in range(11):
        user = await network.member(f"Agent{number:02d}")
        if number >= 8:
            await services.members.set_profile_field(user.user_id, "territory", "Ardèche")
        member = await services.members.get(user.user_id)
        assert member is not None
        await services.directory.publish(member)
        users.append(user)
    bruno = users[0]
    await bruno.send("/annuaire agent")
    first = await bruno.expect("11 fiches (page 1 sur 2)")
    labels = [b["text"] for row in first["buttons"] for b in row]
    assert len(labels) == 9 and labels[-1] == "Suivantes ▶️"
    await bruno.tap("Suivantes ▶️")
    second = await bruno.expect("11 fiches (page 2 sur 2)")
    labels = [b["text"] for row in second["buttons"] for b in row]
    assert len(labels) == 4 and labels[-1] == "◀️ Précédentes"

    await bruno.send("/annuaire")
    await bruno.expect("Annuaire du réseau")
    await bruno.tap("📍 Par territoire")
    await bruno.expect("2 territoires")
    await bruno.tap("Ardèche (3)")
    page = await bruno.expect("📍 Ardèche : 3 fiches")
    assert "Agent08" in str(page["buttons"])
    await bruno.tap("↩️ Tous les territoires")
    await bruno.expect("2 territoires")

    await bruno.send("/annuaire")
    await bruno.expect("Annuaire du réseau")
    await bruno.tap("🗺 Carte des membres")
    chart = await bruno.expect_photo()
    assert chart.data.startswith(b"\x89PNG")
    assert "11 fiches sur 2 territoire(s)" in chart.caption


async def test_my_data_holds_the_card_and_withdrawing_erases_it(network: Network) -> None:
    bruno = await network.member("Bruno")
    chloe = await network.member("Chloé")
    card_message = (await publish(bruno))["message_id"]
    await bruno.send("/mes_donnees")
    exported = json.loads((await bruno.expect_document()).data)
    assert exported["directory"]["structure"] == "France Services Die"
    assert exported["directory"]["telegram_link"] is False
    assert exported["directory"]["consented_at"]  # the separate consent, with its time
    await bruno.tap("🗑 Retirer ma fiche", message_id=card_message)
    await bruno.expect("Retirer votre fiche ?")
    await bruno.tap("Oui, retirer ma fiche")
    await bruno.expect("Votre fiche est retirée")
    assert await network.services.directory.card_of(bruno.user_id) is None
    await bruno.send("/mes_donnees")
    assert json.loads((await bruno.expect_document()).data)["directory"] is None
    await chloe.send("/annuaire bruno")
    await chloe.expect("Aucune fiche ne correspond à « bruno »")
    await chloe.send("/annuaire")
    await chloe.expect("Annuaire du réseau")
    await chloe.tap("🗺 Carte des membres")
    toast = await chloe.expect("L’annuaire est encore vide")
    assert toast["show_alert"]
