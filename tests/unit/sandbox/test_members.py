"""Simulated members in the same process: sending, tapping, expecting, blocking, groups."""

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.sandbox import Sandbox, SandboxError, SimUser


def keyboard(*rows: list[str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=f"cb:{label}") for label in row]
            for row in rows
        ]
    )


async def test_send_returns_the_message_and_adds_command_entities(
    sandbox: Sandbox, bot: telegram.Bot
) -> None:
    dora = sandbox.add_user(1004, "Dora")
    sent = await dora.send("/start abc_123")
    assert (sent["message_id"], sent["text"], sent["from"]) == (1, "/start abc_123", 1004)
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    (update,) = await bot.get_updates()
    assert update.message.text == "/start abc_123"
    assert update.message.entities[0].type == "bot_command"
    assert update.message.from_user.language_code == "fr"
    await bot.send_message(1004, "Bienvenue")  # /start allowed the bot to write


async def test_expect_consumes_events_in_order(bot: telegram.Bot, alice: SimUser) -> None:
    for text in ("un", "deux", "trois"):
        await bot.send_message(1001, text)
    assert (await alice.expect("deux"))["text"] == "deux"
    assert (await alice.expect())["text"] == "trois"
    await alice.expect_nothing(within=0.05)
    with pytest.raises(AssertionError, match="no bot event containing 'un'") as caught:
        await alice.expect("un", timeout=0.05)
    assert "[1] bot #1: un" in str(caught.value)


async def test_expect_waits_for_a_later_event(bot: telegram.Bot, alice: SimUser) -> None:
    import asyncio

    async def later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(1001, "<i>Enfin</i>", parse_mode="HTML")

    task = asyncio.create_task(later())
    message = await alice.expect("Enfin", timeout=2)
    await task
    assert (message["text"], message["html"]) == ("Enfin", "<i>Enfin</i>")


async def test_expect_nothing_fails_on_unseen_bot_events(bot: telegram.Bot, alice: SimUser) -> None:
    await bot.send_message(1001, "surprise")
    with pytest.raises(AssertionError, match="surprise"):
        await alice.expect_nothing(within=0.05)


async def test_edits_are_events_and_last_message_is_current(
    bot: telegram.Bot, alice: SimUser
) -> None:
    sent = await bot.send_message(1001, "Question ?", reply_markup=keyboard(["Oui", "Non"]))
    await bot.edit_message_text("Question close", 1001, sent.message_id)
    await alice.expect("Question ?")
    edited = await alice.expect("close")
    assert edited["edited"] is True
    assert alice.last_message == edited
    assert alice.buttons(sent.message_id) == []


async def test_tap_finds_buttons_on_latest_or_given_message(
    bot: telegram.Bot, alice: SimUser
) -> None:
    old = await bot.send_message(1001, "Ancien", reply_markup=keyboard(["Oui", "Non"]))
    await bot.send_message(
        1001, "Récent", reply_markup=keyboard(["Oui, bien sûr", "Non merci"], ["Plus tard"])
    )
    await bot.send_message(1001, "Sans boutons")
    assert alice.buttons() == [["Oui, bien sûr", "Non merci"], ["Plus tard"]]
    await alice.tap("tard")
    await alice.tap("Oui", message_id=old.message_id)
    query_id = await alice.tap_data("forged:payload")
    updates = await bot.get_updates()
    assert [u.callback_query.data for u in updates] == ["cb:Plus tard", "cb:Oui", "forged:payload"]
    assert updates[2].callback_query.id == query_id
    assert updates[1].callback_query.message.text == "Ancien"
    with pytest.raises(AssertionError, match="several buttons"):
        await alice.tap("n")
    with pytest.raises(AssertionError, match="no button matching 'Peut-être'"):
        await alice.tap("Peut-être")
    assert alice.transcript()[-1] == "[6] Alice taps [forged:payload] on #2"


async def test_tap_without_buttons_and_on_deleted_messages(
    bot: telegram.Bot, alice: SimUser
) -> None:
    with pytest.raises(AssertionError, match="no buttons"):
        await alice.tap("Oui")
    sent = await bot.send_message(1001, "x", reply_markup=keyboard(["Oui"]))
    await bot.delete_message(1001, sent.message_id)
    with pytest.raises(SandboxError, match="does not exist"):
        await alice.tap_data("cb:Oui", message_id=sent.message_id)


async def test_toasts_and_silent_answers(bot: telegram.Bot, alice: SimUser) -> None:
    await bot.send_message(1001, "x", reply_markup=keyboard(["A", "B"]))
    await alice.expect("x")
    await alice.tap("A")
    await alice.tap("B")
    first, second = await bot.get_updates()
    await first.callback_query.answer("Vote enregistré", show_alert=True)
    await second.callback_query.answer()
    assert await alice.expect("enregistré") == {"toast": "Vote enregistré", "show_alert": True}
    await alice.expect_nothing(within=0.05)  # a silent answer is not a bot event
    assert alice.toasts == ["Vote enregistré"]


async def test_block_and_unblock_send_my_chat_member(
    sandbox: Sandbox, bot: telegram.Bot, alice: SimUser
) -> None:
    alice.block()
    assert alice.blocked
    alice.unblock()
    blocked, unblocked = await bot.get_updates()
    assert blocked.my_chat_member.old_chat_member.status == "member"
    assert blocked.my_chat_member.new_chat_member.status == "kicked"
    assert blocked.my_chat_member.from_user.id == 1001
    assert unblocked.my_chat_member.new_chat_member.status == "member"
    alice.block()
    await alice.send("/start")  # writing again restarts the bot
    assert not alice.blocked
    assert alice.transcript()[-3:] == [
        "[3] Alice blocks the bot",
        "[4] Alice unblocks the bot",
        "[5] Alice #1: /start",
    ]


async def test_files_and_polls_for_members(bot: telegram.Bot, alice: SimUser) -> None:
    import io

    await bot.send_document(1001, io.BytesIO(b"PDF"), filename="bilan.pdf")
    received = await alice.expect_document()
    assert (received.filename, received.data, received.mime_type) == (
        "bilan.pdf",
        b"PDF",
        "application/pdf",
    )
    await bot.send_poll(1001, "Quand ?", ["Lundi", "Mardi"], is_anonymous=False)
    poll_message = await alice.expect_poll("Quand")
    await alice.answer_poll(poll_message, [1])
    assert alice.messages()[poll_message["message_id"]]["poll"]["options"][1]["voter_count"] == 1
    with pytest.raises(SandboxError, match="one answer only"):
        await alice.answer_poll(poll_message, [0, 1])
    with pytest.raises(SandboxError, match=r"options 0\.\.1"):
        await alice.answer_poll(poll_message, [5])


async def test_groups(sandbox: Sandbox, bot: telegram.Bot, alice: SimUser, bob: SimUser) -> None:
    group = sandbox.add_group("Réseau RH", members=[alice, bob])
    assert group.chat_id < 0
    await alice.send_in(group, "bonjour tout le monde")  # privacy mode: not for the bot
    await bob.send_in(group, "/sondage@maillage_bot")
    joined, command = await bot.get_updates()
    assert joined.my_chat_member.new_chat_member.status == "member"
    assert joined.my_chat_member.chat.title == "Réseau RH"
    assert command.message.chat.type == "group"
    assert command.message.from_user.id == 1002
    await bot.send_message(group.chat_id, "Votez !", reply_markup=keyboard(["Pour", "Contre"]))
    assert (await group.expect("Votez"))["chat_id"] == group.chat_id
    await alice.tap("Pour", group=group)
    (tap,) = await bot.get_updates(offset=command.update_id + 1)
    assert tap.callback_query.message.chat.id == group.chat_id
    assert "Alice taps [Pour]" in group.transcript()[-1]
    outsider = sandbox.add_user(1005, "Eve", started=True)
    with pytest.raises(SandboxError, match="not a member"):
        await outsider.send_in(group, "coucou")
    lonely = sandbox.add_group("Sans bot", [alice], bot_is_member=False)
    with pytest.raises(telegram.error.Forbidden, match="bot is not a member of the group chat"):
        await bot.send_message(lonely.chat_id, "x")
