"""A co-development invitation through Matrix: the link received, pasted to the bot, accepted."""

from __future__ import annotations

import re

from bot.domain.members import Role
from tests.e2e.codev.test_groups import DRAFT
from tests.matrix.gateway import MatrixNetwork


async def test_an_invitation_link_pasted_on_matrix_seats_the_member(
    matrix_network: MatrixNetwork,
) -> None:
    fanny = await matrix_network.registered("Fanny")
    bruno = await matrix_network.registered("Bruno")
    services = matrix_network.services
    await services.members.force_role(fanny.user_id, Role.FACILITATOR)
    group = await services.codev.groups.create(fanny.user_id, DRAFT)

    await fanny.send("!codev")
    await fanny.expect("Codéveloppement")
    await fanny.choose(group.name)
    await fanny.expect("Membres (")
    await fanny.choose("Nouveau lien d’invitation")
    invitation = await fanny.expect("Lien d’invitation au groupe")
    link = re.search(r"https://t\.me/\S+", invitation["body"])
    assert link is not None

    await bruno.send(link.group(0))  # forwarded by Fanny, pasted to the bot
    await bruno.expect("Charte du groupe")
    await bruno.choose("J’accepte la charte")
    await bruno.expect("Bienvenue dans le groupe « Directeurs de projet »")
    await fanny.expect("Bruno (France Services Die) a rejoint le groupe")
    assert await services.codev.groups.member_ids(group.id) == [bruno.user_id]
