"""A message's attachment: one more part after the text, stored, paced and resumable."""

import pytest

from bot.delivery import Attachment, DeliveryState, MaybeSent, RetryLater
from bot.delivery.content import MAX_CAPTION_LENGTH
from bot.services import Services
from bot.storage.deliveries import DeliveryStore
from tests.unit.delivery.conftest import FakeSender, make_engine
from tests.unit.delivery.helpers import OPT_OUT, add_members, draft

ICS = Attachment("visio.ics", b"BEGIN:VCALENDAR\r\n\xff\x00END:VCALENDAR\r\n", "<b>Agenda</b>")


async def test_the_attachment_goes_after_the_text_parts_and_is_stored_as_given(
    services: Services, store: DeliveryStore, sender: FakeSender
) -> None:
    engine = make_engine(services, sender)
    french = await add_members(services, [1])
    english = await add_members(services, [2], "en")
    send_id, _ = await engine.create_send(draft(["un", "deux"], ICS), french + english)

    stored = await store.get_send(send_id)
    report = await engine.run(send_id)
    await engine.close()

    assert stored is not None and stored.content.for_language("fr").attachment == ICS
    assert stored.content.for_language("en").attachment is None
    to_alice = [call for call in sender.calls if call.chat_id == 1]
    assert [call.text for call in to_alice] == ["un", "deux", "visio.ics"]
    assert [call.keyboard for call in to_alice] == [None, OPT_OUT, None]
    assert to_alice[-1].document == ICS.data
    assert [call.document for call in sender.calls if call.chat_id == 2] == [None]
    assert report is not None and report.counts[DeliveryState.SENT] == 2


async def test_a_429_on_the_attachment_is_retried_like_a_text_part(
    services: Services, sender: FakeSender
) -> None:
    engine = make_engine(services, sender)
    members = await add_members(services, [1])
    send_id, _ = await engine.create_send(draft(["un"], ICS), members)
    sender.script[1] = [None, RetryLater(0.01)]

    report = await engine.run(send_id)
    await engine.close()

    assert [(call.text, call.ok) for call in sender.calls] == [
        ("un", True),
        ("visio.ics", False),
        ("visio.ics", True),
    ]
    assert report is not None and report.counts[DeliveryState.SENT] == 1


async def test_a_resend_after_a_doubtful_attachment_sends_only_the_attachment(
    services: Services, store: DeliveryStore, sender: FakeSender
) -> None:
    engine = make_engine(services, sender)
    members = await add_members(services, [1])
    send_id, _ = await engine.create_send(draft(["un", "deux"], ICS), members)
    sender.script[1] = [None, None, MaybeSent("timed out")]

    first = await engine.run(send_id)
    await engine.resend(send_id)
    second = await engine.run(send_id)
    await engine.close()

    assert first is not None and first.counts[DeliveryState.UNKNOWN] == 1
    assert [call.text for call in sender.calls] == ["un", "deux", "visio.ics", "visio.ics"]
    assert second is not None and second.counts[DeliveryState.SENT] == 1


@pytest.mark.parametrize(
    ("filename", "data", "caption", "error"),
    [
        (" ", b"x", None, "file name"),
        ("a.ics", b"", None, "bytes"),
        ("a.ics", b"x", "c" * (MAX_CAPTION_LENGTH + 1), "caption"),
    ],
)
def test_bad_attachments_are_refused(
    filename: str, data: bytes, caption: str | None, error: str
) -> None:
    with pytest.raises(ValueError, match=error):
        Attachment(filename, data, caption)
