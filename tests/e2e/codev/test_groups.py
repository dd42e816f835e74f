"""Co-development groups through the sandbox: creation, invitations, charter, seats, chat."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.clock import FrozenClock
from bot.domain.codev.model import Group, GroupDraft, MeetingMode
from bot.domain.members import Role
from bot.sandbox import SimUser
from tests.e2e.conftest import Network

DRAFT = GroupDraft(
    name="Directeurs de projet",
    theme="Conduite du changement",
    size_limit=4,
    mode=MeetingMode.VIDEO,
    detail="https://visio.example.org/dp",
    charter="Ce qui se dit dans le groupe reste dans le groupe.",
)


async def facilitator(network: Network, name: str = "Fanny") -> SimUser:
    """A registered member promoted facilitator."""
    user = await network.member(name)
    await network.services.members.force_role(user.user_id, Role.FACILITATOR)
    return user


async def seeded_group(network: Network, lead: SimUser, *members: SimUser) -> Group:
    """A group of four facilitated by ``lead``, ``members`` already in (through the services)."""
    groups = network.services.codev.groups
    group = await groups.create(lead.user_id, DRAFT)
    code, _, _ = await groups.new_invite(lead.user_id, group.id)
    for member in members:
        await groups.use_code(member.user_id, code)
        await groups.accept_charter(member.user_id, group.id)
    return group


async def invite_code(network: Network, lead: SimUser, group: Group) -> str:
    """The facilitator asks for a link from the group's page; the code in it."""
    await lead.send("/codev")
    await lead.expect("Codéveloppement")
    await lead.tap(f"🧭 {group.name}")
    await lead.expect("Membres (")
    await lead.tap("🔗 Nouveau lien d’invitation")
    message = await lead.expect("Lien d’invitation au groupe")
    found = re.search(r"https://t\.me/maillage_bot\?start=codev-([A-Za-z0-9_-]+)", message["text"])
    assert found is not None
    return found.group(1)


async def accept_charter(user: SimUser) -> None:
    """The charter came (the main menu may follow it): accept it on its own message."""
    charter = await user.expect("Charte du groupe")
    await user.tap("✅ J’accepte la charte", message_id=charter["message_id"])


async def test_creation_invite_link_and_joining_with_the_charter(network: Network) -> None:
    fanny = await facilitator(network)
    await fanny.send("/codev")
    await fanny.expect("Codéveloppement")
    await fanny.tap("➕ Créer un groupe")
    await fanny.expect("Quel est le nom du groupe")
    await fanny.send("Directeurs <de> projet")
    await fanny.expect("Quel est son thème")
    await fanny.send("Conduite du changement")
    await fanny.expect("Combien de membres")
    await fanny.tap("6")
    await fanny.expect("Comment le groupe se réunit-il")
    await fanny.tap("🎥 En visio")
    await fanny.expect("Quel est le lien de la visio")
    await fanny.send("salle 12")
    await fanny.expect("Il faut un lien de visio commençant par https://")
    await fanny.expect("Quel est le lien de la visio")
    await fanny.send("https://visio.example.org/dp")
    await fanny.expect("Tapez la charte")
    await fanny.tap("📜 Charte habituelle")
    await fanny.expect("Le groupe « Directeurs <de> projet » est créé")
    page = await fanny.expect("Membres (0/6)")
    assert page["html"].startswith("<b>Directeurs &lt;de&gt; projet</b>")
    [group] = [g for g, _ in await network.services.codev.groups.of_person(fanny.user_id)]
    code = await invite_code(network, fanny, group)

    bruno = await network.member("Bruno")
    await bruno.send(f"/start codev-{code}")
    await accept_charter(bruno)
    await bruno.expect("Bienvenue dans le groupe « Directeurs <de> projet »")
    await fanny.expect("Bruno (France Services Die) a rejoint le groupe")
    assert await network.services.codev.groups.member_ids(group.id) == [bruno.user_id]


async def test_a_newcomer_registers_first_then_lands_in_the_group(network: Network) -> None:
    fanny = await facilitator(network)
    group = await seeded_group(network, fanny)
    code = await invite_code(network, fanny, group)
    chloe = network.newcomer("Chloé")
    await chloe.send(f"/start codev-{code}")
    await chloe.expect("Inscrivez-vous d’abord")
    await chloe.expect("Acceptez-vous")
    await chloe.tap("✅ J’accepte")
    for question, answer in (
        ("Quel nom", "Chloé Durand"),
        ("Quelle est votre organisation", "Mairie de Die"),
        ("Sur quel territoire", "Drôme"),
        ("Quelle est votre fonction", "Secrétaire générale"),
    ):
        await chloe.expect(question)
        await chloe.send(answer)
    await chloe.expect("Votre profil")
    await chloe.tap("✅ C’est bon")
    await chloe.expect("Votre inscription est terminée")
    await accept_charter(chloe)
    await chloe.expect("Bienvenue dans le groupe « Directeurs de projet »")
    assert await network.services.codev.groups.member_ids(group.id) == [chloe.user_id]


async def test_full_group_waiting_list_and_the_freed_seat_offered(network: Network) -> None:
    fanny = await facilitator(network)
    seated = [await network.member(name) for name in ("Ana", "Ben", "Cléo", "Dan")]
    group = await seeded_group(network, fanny, *seated)
    code = await invite_code(network, fanny, group)
    eva = await network.member("Eva")
    await eva.send(f"/start codev-{code}")
    await accept_charter(eva)
    await eva.expect("est complet : vous êtes sur la liste d’attente")
    await eva.send("/codev")
    await eva.expect("vous êtes sur la liste d’attente")

    ana = seated[0]
    await ana.send("/codev")
    await ana.expect("Codéveloppement")
    await ana.tap("👥 Directeurs de projet")
    await ana.expect("Membres (4/4)")
    await ana.tap("🚪 Quitter le groupe")
    await ana.expect("Voulez-vous vraiment quitter")
    await ana.tap("Oui, quitter")
    await ana.expect("Vous avez quitté « Directeurs de projet »")
    await fanny.expect("Ana (France Services Die) a quitté le groupe")
    await eva.expect("Une place s’est libérée dans le groupe « Directeurs de projet »")
    await eva.tap("✅ Je prends la place")
    await eva.expect("Bienvenue dans le groupe « Directeurs de projet »")
    await fanny.expect("Eva (France Services Die) a rejoint le groupe")
    members = await network.services.codev.groups.member_ids(group.id)
    assert sorted(members) == sorted([s.user_id for s in seated[1:]] + [eva.user_id])


async def test_an_unanswered_seat_offer_lapses_to_the_next_waiting(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    fanny = await facilitator(network)
    seated = [await network.member(name) for name in ("Ana", "Ben", "Cléo", "Dan")]
    eva, fred = await network.member("Eva"), await network.member("Fred")
    group = await seeded_group(network, fanny, *seated, eva, fred)  # Eva, then Fred, wait
    await eva.send("/codev")
    await eva.expect("liste d’attente")
    await fred.send("/codev")
    await fred.expect("liste d’attente")
    departure = await network.services.codev.groups.leave(seated[0].user_id, group.id)
    assert departure.offered_to == eva.user_id
    clock.advance(timedelta(hours=47))
    await network.run_due()
    await eva.expect_nothing()
    clock.advance(timedelta(hours=1))
    await network.run_due()
    await eva.expect("La place proposée dans « Directeurs de projet » n’a pas été prise à temps")
    await fred.expect("Une place s’est libérée dans le groupe « Directeurs de projet »")
    await eva.tap_data(f"cd_offer:1:{group.id}:yes")
    await eva.expect("Cette place n’est plus disponible.")
    await fred.tap("✅ Je prends la place")
    await fred.expect("Bienvenue dans le groupe")


async def test_the_facilitator_removes_a_member_who_is_told(network: Network) -> None:
    fanny = await facilitator(network)
    bruno = await network.member("Bruno")
    group = await seeded_group(network, fanny, bruno)
    await fanny.send("/codev")
    await fanny.expect("Codéveloppement")
    await fanny.tap("🧭 Directeurs de projet")
    await fanny.expect("Membres (1/4)")
    await fanny.tap("✂️ Retirer un membre")
    await fanny.expect("Qui retirer du groupe")
    await fanny.tap("✂️ Bruno (France Services Die)")
    await fanny.expect(
        "Bruno (France Services Die) ne fait plus partie de « Directeurs de projet »"
    )
    await bruno.expect("La facilitation vous a retiré·e du groupe de codéveloppement")
    assert await network.services.codev.groups.member_ids(group.id) == []
    entries = await network.services.audit.for_user(fanny.user_id)
    assert ("codev_removed", True) in [(e.action, e.allowed) for e in entries]


async def test_joining_by_request_approved_by_the_facilitator(network: Network) -> None:
    fanny = await facilitator(network)
    group = await seeded_group(network, fanny)
    eve = await network.member("Eve")
    await eve.send("/codev")
    await eve.expect("Vous ne faites partie d’aucun groupe")
    await eve.tap("🔎 Demander à rejoindre un groupe")
    await eve.expect("Groupes ouverts aux demandes")
    await eve.tap("Demander à rejoindre « Directeurs de projet »")
    await eve.expect("Votre demande pour rejoindre « Directeurs de projet » est transmise")
    await fanny.expect("Eve (France Services Die) demande à rejoindre")
    await fanny.tap("✅ Accepter")
    await fanny.expect("Demande de Eve (France Services Die) acceptée")
    await accept_charter(eve)
    await eve.expect("Bienvenue dans le groupe")
    assert await network.services.codev.groups.member_ids(group.id) == [eve.user_id]


async def test_the_facilitator_leaving_tells_the_animators(network: Network) -> None:
    anne = await network.animator()
    fanny = await facilitator(network)
    await seeded_group(network, fanny)
    await fanny.send("/codev")
    await fanny.expect("Codéveloppement")
    await fanny.tap("🧭 Directeurs de projet")
    await fanny.expect("Membres (")
    await fanny.tap("🚪 Quitter le groupe")
    await fanny.expect("quitter la facilitation")
    await fanny.tap("Oui, quitter")
    await anne.expect("« Directeurs de projet » n’a plus de facilitateur·rice")
    await anne.send("/codev")
    await anne.expect("Codéveloppement")
    await anne.tap("📊 Tous les groupes (chiffres)")
    await anne.expect("sans facilitateur·rice")
    await anne.tap("Reprendre la facilitation de « Directeurs de projet »")
    await anne.expect("Vous facilitez désormais le groupe « Directeurs de projet »")


async def test_wrong_expired_revoked_codes_and_slowing_down(
    clocked_network: Network, clock: FrozenClock
) -> None:
    network = clocked_network
    fanny = await facilitator(network)
    group = await seeded_group(network, fanny)
    groups = network.services.codev.groups
    zoe = await network.member("Zoé")
    code, _, _ = await groups.new_invite(fanny.user_id, group.id)
    clock.advance(timedelta(days=15))
    await zoe.send(f"/start codev-{code}")
    expired = await zoe.expect("Ce lien d’invitation a expiré")
    old, _, _ = await groups.new_invite(fanny.user_id, group.id)
    await groups.new_invite(fanny.user_id, group.id)
    await zoe.send("/start codev-AAAAAAAAAAAAAAAAAAAAAA")
    wrong = await zoe.expect("Ce lien d’invitation n’est pas valide")
    await zoe.send(f"/start codev-{old}")
    revoked = await zoe.expect("Ce lien d’invitation a été révoqué")
    for text in (wrong, revoked, expired):
        assert group.name not in text["text"]  # no hint about any group
    await zoe.send("/start codev-BBBBBBBBBBBBBBBBBBBBBB")
    await zoe.expect("n’est pas valide")
    await zoe.send("/start codev-x")
    await zoe.expect("n’est pas valide")
    fresh, _, _ = await groups.new_invite(fanny.user_id, group.id)
    await zoe.send(f"/start codev-{fresh}")
    await zoe.expect("Trop de codes d’invitation erronés. Réessayez dans 15 minute(s).")
    clock.advance(timedelta(minutes=15))
    await zoe.send(f"/start codev-{fresh}")
    await accept_charter(zoe)
    await zoe.expect("Bienvenue dans le groupe")
    rows = await network.services.db.fetchall(
        "SELECT COUNT(*) AS n FROM codev_code_attempts WHERE user_id = ?", (zoe.user_id,)
    )
    assert rows[0]["n"] == 5


async def test_binding_a_telegram_group_chat(network: Network) -> None:
    fanny = await facilitator(network)
    bruno = await network.member("Bruno")
    group = await seeded_group(network, fanny, bruno)
    chat = network.sandbox.add_group("Codev DP", members=[fanny, bruno])
    await network.sandbox.wait_idle()
    await bruno.send_in(chat, "/codev_lier")
    await chat.expect("réservée à l’équipe d’animation")
    entries = await network.services.audit.for_user(bruno.user_id)
    assert ("codev_bind", False) in [(e.action, e.allowed) for e in entries]
    await fanny.send_in(chat, "/codev_lier")
    await chat.expect("Je vous ai écrit en privé")
    await fanny.expect("Quel groupe de codéveloppement lier au groupe Telegram « Codev DP »")
    await fanny.tap("Directeurs de projet")
    await fanny.expect("« Directeurs de projet » est lié au groupe Telegram « Codev DP »")
    await chat.expect("reçoit désormais les annonces du groupe de codéveloppement")
    bound = await network.services.codev.groups.get(group.id)
    assert bound.chat_id == chat.chat_id
