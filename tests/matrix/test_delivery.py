"""The delivery engine, unchanged, reaches Matrix members through the gateway: once each."""

from __future__ import annotations

from mautrix.types import PaginationDirection

from bot.delivery import Attachment, Content, DeliveryState, Draft, Message, SendStatus
from tests.conftest import register
from tests.e2e.test_delivery import until
from tests.matrix.gateway import MatrixNetwork

ICS = Attachment("visio.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "<b>Agenda</b>")
LETTER = Content(
    {"fr": Message(("<b>La lettre du réseau</b>\nÀ la une : la visio de mars.",), attachment=ICS)}
)


async def test_a_newsletter_reaches_each_matrix_member_exactly_once(
    matrix_network: MatrixNetwork,
) -> None:
    members = [await matrix_network.member(f"Membre {i}") for i in range(3)]
    for member in members:  # inviting the bot into a direct room opened their chat
        await register(matrix_network.services, member.user_id, member.matrix_id)
    engine = matrix_network.services.deliveries
    ids = [member.user_id for member in members]
    send_id, audience = await engine.create_send(Draft("newsletter", "lettre", LETTER), ids)
    assert audience.eligible == 3

    report = await engine.run(send_id)

    assert report is not None and report.status is SendStatus.DONE
    assert report.counts[DeliveryState.SENT] == 3
    for member in members:  # "sent" means in Matrix already: read each room once, no wait
        page = await member.api.get_messages(member.room_id, PaginationDirection.BACKWARD, limit=5)
        bodies = [str(getattr(event.content, "body", "")) for event in page.events]
        assert any("La lettre du réseau" in body for body in bodies), bodies
    for member in members:
        letter = await member.expect("La lettre du réseau")
        assert "<b>La lettre du réseau</b><br>" in letter["formatted_body"]
        document = await member.expect("Agenda")  # the caption is the body (Matrix 1.10)
        assert (document["msgtype"], document["filename"]) == ("m.file", "visio.ics")
        assert document["formatted_body"] == "<b>Agenda</b>"
        assert await member.api.download_media(document["url"]) == ICS.data
        letters = [m for m in member.received if "La lettre du réseau" in m["body"]]
        assert len(letters) == 1


async def test_a_member_who_left_the_room_is_unreachable_and_skipped(
    matrix_network: MatrixNetwork,
) -> None:
    stays, leaves = [await matrix_network.member(name) for name in ("Reste", "Part")]
    for member in (stays, leaves):
        await register(matrix_network.services, member.user_id, member.matrix_id)
    await leaves.api.leave_room(leaves.room_id)
    await until(lambda: leaves.user_id not in matrix_network.bridge.rooms)
    await matrix_network.bridge.sandbox.wait_idle()  # the bot has read my_chat_member
    engine = matrix_network.services.deliveries
    ids = [stays.user_id, leaves.user_id]
    send_id, audience = await engine.create_send(Draft("newsletter", "lettre", LETTER), ids)
    # Leaving the room reached the bot as Telegram's "blocked" (my_chat_member → kicked):
    assert (audience.eligible, audience.skipped) == (1, {"unreachable": 1})

    report = await engine.run(send_id)

    assert report is not None and report.counts[DeliveryState.SENT] == 1
    await stays.expect("La lettre du réseau")
