import asyncio

from telegram import CallbackQuery, Chat, Message, PollAnswer, Update, User

from bot.update_processor import FloodLimit, PerChatUpdateProcessor, chat_key


def _update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "M", is_bot=False)
    chat = Chat(chat_id, "private")
    return Update(update_id, message=Message(update_id, None, chat, from_user=user, text="x"))


async def test_one_chat_in_order_other_chats_concurrently() -> None:
    processor = PerChatUpdateProcessor(16)
    events: list[str] = []
    release = asyncio.Event()

    async def slow(name: str) -> None:
        events.append(f"start {name}")
        await release.wait()
        events.append(f"end {name}")

    async def quick(name: str) -> None:
        events.append(f"run {name}")

    first = asyncio.create_task(processor.process_update(_update(1, 10), slow("a1")))
    second = asyncio.create_task(processor.process_update(_update(2, 10), quick("a2")))
    other = asyncio.create_task(processor.process_update(_update(3, 20), quick("b1")))
    await other
    await asyncio.sleep(0)
    assert events == ["start a1", "run b1"]  # chat 20 did not wait for chat 10
    release.set()
    await asyncio.gather(first, second)
    assert events == ["start a1", "run b1", "end a1", "run a2"]  # chat 10 kept its order
    assert processor.chats_in_progress == 0


def test_chat_key_falls_back_to_the_user() -> None:
    assert chat_key(_update(1, 42)) == 42
    assert chat_key("not an update") is None


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _poll_answer(update_id: int, user_id: int) -> Update:
    user = User(user_id, "M", is_bot=False)
    return Update(
        update_id, poll_answer=PollAnswer("p", [0], user=user, option_persistent_ids=["0"])
    )


async def test_a_flooding_chat_is_cut_to_its_bucket_and_told_once() -> None:
    clock = _Clock()
    told: list[tuple[int, bool]] = []

    async def on_flood(update: Update, first: bool) -> None:
        told.append((update.update_id, first))

    processor = PerChatUpdateProcessor(
        16, flood=FloodLimit(per_second=1.0, burst=3), on_flood=on_flood, clock=clock
    )
    ran: list[int] = []

    async def run(update_id: int) -> None:
        ran.append(update_id)

    for update_id in range(1, 7):  # six at once: a burst of three, then drops
        await processor.process_update(_update(update_id, 10), run(update_id))
    await processor.process_update(_update(7, 20), run(7))  # another chat: its own bucket
    await processor.process_update(_poll_answer(8, 10), run(8))  # facts are always taken in
    clock.now += 1.0  # one more token
    await processor.process_update(_update(9, 10), run(9))
    await processor.process_update(_update(10, 10), run(10))
    assert ran == [1, 2, 3, 7, 8, 9]
    assert told == [(4, True)]  # told once per flood
    assert processor.dropped == 4
    clock.now += 3.0  # the bucket is full again: a new flood would be told again
    for update_id in range(11, 15):
        await processor.process_update(_update(update_id, 10), run(update_id))
    assert told == [(4, True), (14, True)]


async def test_no_flood_limit_when_off() -> None:
    processor = PerChatUpdateProcessor(16, flood=FloodLimit.off())
    ran: list[int] = []

    async def run(update_id: int) -> None:
        ran.append(update_id)

    for update_id in range(1, 21):
        await processor.process_update(_update(update_id, 10), run(update_id))
    assert ran == list(range(1, 21))


async def test_every_dropped_press_is_handed_over_at_once() -> None:
    told: list[tuple[int, bool]] = []

    async def on_flood(update: Update, first: bool) -> None:
        told.append((update.update_id, first))

    processor = PerChatUpdateProcessor(
        16, flood=FloodLimit(per_second=1.0, burst=1), on_flood=on_flood, clock=_Clock()
    )
    user = User(10, "M", is_bot=False)
    message = _update(0, 10).message

    async def run() -> None:
        pass

    for update_id in range(1, 5):
        press = CallbackQuery(str(update_id), user, "ci", message=message, data="x")
        await processor.process_update(Update(update_id, callback_query=press), run())
    assert told == [(2, True), (3, False), (4, False)]  # each spinner must stop


async def test_members_of_one_group_have_a_bucket_each() -> None:
    processor = PerChatUpdateProcessor(
        16, flood=FloodLimit(per_second=1.0, burst=1), clock=_Clock()
    )
    group = Chat(-5, "group")
    ran: list[int] = []

    async def run(update_id: int) -> None:
        ran.append(update_id)

    for update_id, user_id in enumerate((1, 2, 3, 1), start=1):
        user = User(user_id, "M", is_bot=False)
        message = Message(update_id, None, group, from_user=user, text="/vote")
        await processor.process_update(Update(update_id, message=message), run(update_id))
    assert ran == [1, 2, 3]  # three members at once are no flood; the first one again is


async def test_state_is_saved_after_each_update_before_the_chat_s_next_one() -> None:
    events: list[str] = []

    async def save() -> None:
        events.append("save")

    async def handle(name: str) -> None:
        events.append(name)

    async def fail() -> None:
        events.append("fails")
        raise RuntimeError("handler crashed")

    processor = PerChatUpdateProcessor(16, after_each=save)
    first = asyncio.create_task(processor.process_update(_update(1, 10), handle("a1")))
    second = asyncio.create_task(processor.process_update(_update(2, 10), fail()))
    third = asyncio.create_task(processor.process_update(_update(3, 10), handle("a3")))
    results = await asyncio.gather(first, second, third, return_exceptions=True)
    assert isinstance(results[1], RuntimeError)
    assert events == ["a1", "save", "fails", "save", "a3", "save"]
