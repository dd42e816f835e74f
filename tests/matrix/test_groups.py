"""Group rooms through Matrix: the network's group, its visio poll, a co-development group."""

from __future__ import annotations

import asyncio
import time as clock_time
from datetime import time

from bot.domain.members import Role
from bot.matrix.polls import POLL_END, POLL_START
from bot.matrix.rooms import group_chat_id
from bot.transports import Transport, transport_of_id
from tests.e2e.codev.test_groups import DRAFT
from tests.e2e.visio.test_cycle import paris
from tests.matrix.gateway import MatrixNetwork
from tests.matrix.member import MatrixMember


async def group_room(network: MatrixNetwork, owner: MatrixMember, *others: MatrixMember) -> str:
    """``owner`` creates a room, invites the bot and ``others``, who join; the bot joined."""
    invitees = [network.bridge.user_id, *(m.matrix_id for m in others)]
    room_id = await owner.create_group("Réseau France Services", invitees)
    for member in others:
        await member.join(room_id)
    chat_id = group_chat_id(room_id)
    deadline = clock_time.monotonic() + 15
    while True:
        chat = network.bridge.sandbox.world.chats.get(chat_id)
        if chat is not None and {m.user_id for m in (owner, *others)} <= set(chat.member_ids):
            return room_id
        assert clock_time.monotonic() < deadline, "the group room was not bridged"
        await asyncio.sleep(0.02)


async def ticked(network: MatrixNetwork, session_id: int, member: MatrixMember) -> list[str]:
    """The topics ``member``'s ballot approves, once it approves any (15 s at most)."""
    ballots = network.services.visio.ballots
    deadline = clock_time.monotonic() + 15
    while not (view := await ballots.view(session_id, member.user_id)).ticked:
        assert clock_time.monotonic() < deadline, "the Matrix vote did not reach the ballot"
        await asyncio.sleep(0.05)
    return [t.title for t in view.options if t.id in view.ticked]


async def test_the_networks_group_room_and_its_poll_answered_from_matrix(
    clocked_matrix_network: MatrixNetwork,
) -> None:
    network = clocked_matrix_network
    services = network.services
    anne = await network.animator()
    bruno = await network.registered("Bruno")
    room_id = await group_room(network, anne, bruno)
    chat_id = group_chat_id(room_id)
    assert chat_id < 0 and transport_of_id(chat_id) is Transport.MATRIX
    assert network.bridge.groups.chats[room_id] == chat_id

    await anne.send_in(room_id, "!groupe_visio")
    await anne.expect_in(room_id, "Ce groupe est désormais le groupe du réseau")
    assert (await services.visio.cycle.settings()).group_chat_id == chat_id
    await services.visio.cycle.set_slot("FREQ=MONTHLY;BYDAY=2TU", time(14), 120)
    await network.reach(paris(2030, 3, 19, 14))
    for title in ("Accueil des usagers", "Démarches en ligne"):
        await services.visio.topics.propose(anne.user_id, title)

    await network.reach(paris(2030, 3, 26, 14))  # the vote opens: ballots and the poll
    poll = await bruno.expect_in(room_id, "Démarches en ligne", kind=POLL_START)
    start = poll["content"][POLL_START]
    assert [a["org.matrix.msc1767.text"] for a in start["answers"]] == [
        "Accueil des usagers",
        "Démarches en ligne",
    ]
    assert start["max_selections"] == 2
    assert "1. Accueil des usagers\n2. Démarches en ligne" in poll["content"]["body"]
    await bruno.vote(room_id, poll["event_id"], [start["answers"][1]["id"]])
    await anne.send_in(room_id, "1 2")  # a client showing only the fallback: typed numbers
    session = (await services.visio.ballots.open_votes())[0]
    assert await ticked(network, session.id, bruno) == ["Démarches en ligne"]
    assert await ticked(network, session.id, anne) == ["Accueil des usagers", "Démarches en ligne"]

    await network.reach(paris(2030, 4, 2, 14))  # the vote closes: the poll ends
    ended = await bruno.expect_in(room_id, "Le sondage est clos", kind=POLL_END)
    assert ended["content"]["m.relates_to"]["event_id"] == poll["event_id"]


async def test_a_codev_group_room_is_bound_from_matrix(matrix_network: MatrixNetwork) -> None:
    fanny = await matrix_network.registered("Fanny")
    bruno = await matrix_network.registered("Bruno")
    services = matrix_network.services
    await services.members.force_role(fanny.user_id, Role.FACILITATOR)
    group = await services.codev.groups.create(fanny.user_id, DRAFT)
    room_id = await group_room(matrix_network, fanny, bruno)

    await bruno.send_in(room_id, "bonjour à tous")  # privacy mode: the bot does not hear it
    await fanny.send_in(room_id, "!codev_lier")
    await fanny.expect_in(room_id, "en privé")
    await fanny.expect("Réseau France Services")
    await fanny.choose(group.name)
    await fanny.expect("Réseau France Services")
    await fanny.expect_in(room_id, group.name)
    bound = await services.codev.groups.get(group.id)
    assert bound is not None and bound.chat_id == group_chat_id(room_id)
    chat = await services.group_chats.get(group_chat_id(room_id))
    assert chat is not None and chat.active and chat.title == "Réseau France Services"

    await fanny.api.kick_user(room_id, matrix_network.bridge.user_id)  # the bot is removed
    deadline = clock_time.monotonic() + 15
    while (chat := await services.group_chats.get(bound.chat_id)) is not None and chat.active:
        assert clock_time.monotonic() < deadline, "the bot's removal did not reach it"
        await asyncio.sleep(0.05)
    assert room_id not in matrix_network.bridge.groups.chats
