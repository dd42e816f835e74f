import asyncio

from telegram import Chat, Message, Update, User

from bot.update_processor import PerChatUpdateProcessor, chat_key


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
