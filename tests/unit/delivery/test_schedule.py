from collections.abc import AsyncIterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from telegram.ext import Application, ApplicationBuilder

from bot.clock import FrozenClock
from bot.config import Settings
from bot.delivery import Recipient, SendStatus
from bot.services import Services
from schedules import SEND_JOB, default_registry, dispatch, job_id, register_jobs
from schedules.deliveries import run_send
from tests.conftest import TEST_TOKEN
from tests.unit.delivery.conftest import FakeSender
from tests.unit.delivery.helpers import add_members, draft


@pytest.fixture
async def faked(
    settings: Settings, clock: FrozenClock, sender: FakeSender
) -> AsyncIterator[Services]:
    opened = await Services.open(settings, clock, sender)
    yield opened
    await opened.close()


@pytest.fixture
async def application() -> AsyncIterator[Application]:
    app = ApplicationBuilder().token(TEST_TOKEN).build()
    assert app.job_queue is not None
    await app.job_queue.start()
    yield app
    await app.job_queue.stop()


async def test_send_jobs_are_rebuilt_at_start_up(
    faked: Services, clock: FrozenClock, application: Application
) -> None:
    members = await add_members(faked, [1])
    later = clock.now() + timedelta(days=1)
    scheduled, _ = await faked.deliveries.create_send(draft(due_at=later), members)
    under_way, _ = await faked.deliveries.create_send(draft(), members)
    assert await faked.deliveries.cancel((await faked.deliveries.create_send(draft()))[0])

    names = await register_jobs(application, faked, default_registry())

    sends = [name for name in names if name.startswith("send:")]
    assert sends == [job_id("send", str(scheduled)), job_id("send", str(under_way))]
    jobs = {job.name: job for job in application.job_queue.jobs()}
    assert jobs[f"send:{scheduled}"].next_t == later
    assert jobs[f"send:{under_way}"].next_t == clock.now() + timedelta(seconds=1)
    assert SEND_JOB in default_registry().kinds


async def test_the_job_launches_the_send_and_rearms_for_rows_held_back(
    faked: Services, sender: FakeSender, clock: FrozenClock, application: Application
) -> None:
    members = await add_members(faked, [1])
    later = clock.now() + timedelta(hours=10)
    held = Recipient(chat_id=2, language="fr", not_before=later)
    send_id, _ = await faked.deliveries.create_send(draft(), members, [held])
    context = SimpleNamespace(application=application, services=faked)

    await run_send(context, str(send_id))  # type: ignore[arg-type]
    report = await faked.deliveries.run(send_id)

    assert report is not None and report.status is SendStatus.SENDING
    assert sender.chats() == [1]
    [job] = application.job_queue.get_jobs_by_name(f"send:{send_id}")
    assert job.next_t == later


async def test_dispatch_creates_the_send_and_arms_it_at_its_due_time_or_now(
    faked: Services, clock: FrozenClock, application: Application
) -> None:
    members = await add_members(faked, [1, 2])
    later = clock.now() + timedelta(hours=3)

    scheduled, audience = await dispatch(application, faked, draft(due_at=later), members)
    at_once, _ = await dispatch(application, faked, draft(), chats=[Recipient(3, "fr")])

    assert audience.eligible == 2
    [job] = application.job_queue.get_jobs_by_name(f"send:{scheduled}")
    assert job.next_t == later
    [job] = application.job_queue.get_jobs_by_name(f"send:{at_once}")
    assert job.next_t == clock.now() + timedelta(seconds=1)
    assert (await faked.deliveries.report(at_once)).total == 1
