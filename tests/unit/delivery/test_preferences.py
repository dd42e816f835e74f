from bot.clock import to_iso
from bot.delivery import DeliveryEngine, DeliveryState
from bot.services import Services
from tests.unit.delivery.conftest import FakeSender
from tests.unit.delivery.helpers import add_members, draft


async def test_opt_outs_and_history_are_exported_then_erased(
    services: Services, engine: DeliveryEngine, sender: FakeSender
) -> None:
    members = await add_members(services, [1, 2])
    await engine.preferences.set_opted_out(1, "reminder", True)
    sent_id, _ = await engine.create_send(draft(), members)
    await engine.run(sent_id)
    pending_id, _ = await engine.create_send(draft(), members)
    assert await engine.preferences.opted_out(1) == {"reminder"}

    exported = await services.privacy.export(1)
    assert exported["deliveries"]["preferences"] == [
        {"category": "reminder", "opted_out": True, "updated_at": to_iso(services.clock.now())}
    ]
    assert [row["send_id"] for row in exported["deliveries"]["deliveries"]] == [
        sent_id,
        pending_id,
    ]

    await services.privacy.erase(1)

    assert await engine.preferences.opted_out(1) == set()
    erased = await services.privacy.export(1)
    assert erased["deliveries"] == {"preferences": [], "quiet_hours": None, "deliveries": []}
    sent = await engine.report(sent_id)
    assert sent is not None and sent.counts[DeliveryState.SENT] == 2  # anonymous counts stay
    pending = await engine.report(pending_id)
    assert pending is not None and pending.total == 1
