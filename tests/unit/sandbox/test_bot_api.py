"""A real python-telegram-bot ``Bot`` talking to the sandbox over HTTP."""

import asyncio
import io
import json

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter

from bot.sandbox import RateLimits, Sandbox, SimUser
from bot.sandbox.files import sample_png
from tests.unit.sandbox.conftest import FakeClock

YES_NO = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Oui", callback_data="v:1:yes"),
            InlineKeyboardButton("Non", callback_data="v:1:no"),
        ]
    ]
)


async def test_get_me_describes_the_bot(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456789, True, "maillage_bot")
    assert me.can_read_all_group_messages is False


async def test_send_edit_and_not_modified(bot: telegram.Bot, alice: SimUser) -> None:
    sent = await bot.send_message(
        1001, "<b>Bonjour</b> Alice", parse_mode="HTML", reply_markup=YES_NO
    )
    assert sent.text == "Bonjour Alice"
    assert sent.entities[0].type == "bold"
    assert sent.from_user.id == 123456789
    assert sent.chat.id == 1001
    assert sent.chat.first_name == "Alice"
    assert sent.reply_markup == YES_NO
    edited = await bot.edit_message_text(
        "Bonjour <i>Alice</i>", 1001, sent.message_id, parse_mode="HTML", reply_markup=YES_NO
    )
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "Bonjour <i>Alice</i>", 1001, sent.message_id, parse_mode="HTML", reply_markup=YES_NO
        )
    await bot.edit_message_reply_markup(1001, sent.message_id, reply_markup=None)
    assert alice.last_message is not None
    assert alice.last_message["buttons"] == []
    assert sandbox_descriptions(alice)[-1] == "Bad Request: " + (
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )


def sandbox_descriptions(user: SimUser) -> list[str | None]:
    return [r.description for r in user.world.requests if r.description]


async def test_message_ids_increase_per_chat(
    bot: telegram.Bot, alice: SimUser, bob: SimUser
) -> None:
    ids = [(await bot.send_message(chat, "x")).message_id for chat in (1001, 1001, 1002, 1001)]
    assert ids == [1, 2, 1, 3]


@pytest.mark.parametrize(
    ("kwargs", "description"),
    [
        ({"text": "x" * 4097}, "Bad Request: message is too long"),
        ({"text": " \n "}, "Bad Request: text must be non-empty"),
        (
            {"text": "<b>x", "parse_mode": "HTML"},
            "Bad Request: can't parse entities: "
            'Can\'t find end tag corresponding to start tag "b"',
        ),
        (
            {
                "text": "x",
                "reply_markup": InlineKeyboardMarkup(
                    [[InlineKeyboardButton("a", callback_data="é" * 33)]]
                ),
            },
            "Bad Request: BUTTON_DATA_INVALID",
        ),
        (
            {
                "text": "x",
                "reply_markup": InlineKeyboardMarkup(
                    [[InlineKeyboardButton(str(i), callback_data="d")] for i in range(101)]
                ),
            },
            "Bad Request: reply markup is too long",
        ),
        (
            {
                "text": "x",
                "reply_markup": InlineKeyboardMarkup(
                    [[InlineKeyboardButton(str(i), callback_data="d") for i in range(9)]]
                ),
            },
            "Bad Request: reply markup is too long",
        ),
        (
            {"text": "x", "reply_markup": InlineKeyboardMarkup([[InlineKeyboardButton("a")]])},
            "Bad Request: text buttons are unallowed in the inline keyboard",
        ),
    ],
)
async def test_bad_requests_have_telegram_texts(
    bot: telegram.Bot, alice: SimUser, kwargs: dict[str, object], description: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(1001, **kwargs)  # type: ignore[arg-type]
    assert alice.world.requests[-1].description == description
    assert alice.world.requests[-1].status == 400
    assert caught.value.message.lower() == description.removeprefix("Bad Request: ").lower()


async def test_access_errors(bot: telegram.Bot, sandbox: Sandbox) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "x")
    carol = sandbox.add_user(1003, "Carol")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(1003, "x")
    await carol.send("/start")
    await bot.send_message(1003, "Bienvenue")
    carol.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1003, "x")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.get_chat(999)
    chat = await bot.get_chat(1003)
    assert (chat.id, chat.type, chat.first_name) == (1003, "private", "Carol")


async def test_edit_and_delete_missing_messages(bot: telegram.Bot, alice: SimUser) -> None:
    sent = await bot.send_message(1001, "x")
    assert await bot.delete_message(1001, sent.message_id) is True
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(1001, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("y", 1001, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("y", 1001, 77)
    assert alice.transcript()[-1] == f"[2] bot deletes #{sent.message_id}"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limit_answers_retry_after(
    bot: telegram.Bot, sandbox: Sandbox, alice: SimUser, clock: FakeClock
) -> None:
    sandbox.rate_limits = RateLimits(private_burst=2, private_per_second=0.25)
    await bot.send_message(1001, "1")
    await bot.send_message(1001, "2")
    with pytest.raises(RetryAfter, match=r"Retry in (4 seconds|0:00:04)"):
        await bot.send_message(1001, "3")
    assert sandbox.requests[-1].description == "Too Many Requests: retry after 4"
    assert sandbox.stats.too_many_requests == 1
    clock.advance(4)
    await bot.send_message(1001, "3")


async def test_get_updates_offsets_limit_and_negative_offset(
    bot: telegram.Bot, sandbox: Sandbox, alice: SimUser
) -> None:
    for text in ("a", "b", "c", "d"):
        await alice.send(text)
    updates = await bot.get_updates(limit=2)
    assert [u.message.text for u in updates] == ["a", "b"]
    assert updates[1].update_id == updates[0].update_id + 1
    again = await bot.get_updates(offset=updates[1].update_id + 1)
    assert [u.message.text for u in again] == ["c", "d"]
    assert [u.message.text for u in await bot.get_updates(offset=-1)] == ["d"]
    assert [u.message.text for u in await bot.get_updates()] == ["d"]
    assert sandbox.pending_updates == 1
    first = updates[0]
    assert first.message.from_user.first_name == "Alice"
    assert first.message.chat.type == "private"
    assert first.message.date.year >= 2024


async def test_long_poll_waits_for_an_update_and_second_poll_conflicts(
    bot: telegram.Bot, sandbox: Sandbox, alice: SimUser
) -> None:
    waiting = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.1)
    await alice.send("/start")
    assert [u.message.text for u in await waiting] == ["/start"]
    first = asyncio.create_task(bot.get_updates(offset=10**9, timeout=10))
    await asyncio.sleep(0.1)
    # A second bot instance (PTB queues its own getUpdates calls on one connection).
    async with telegram.Bot(sandbox.token, base_url=sandbox.api_url) as other:
        second = asyncio.create_task(other.get_updates(timeout=1))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await first
        assert await second == ()


async def test_webhook_state_and_conflict(bot: telegram.Bot, alice: SimUser) -> None:
    await alice.send("hello")
    assert await bot.set_webhook("https://example.org/hook", max_connections=5)
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.max_connections) == (
        "https://example.org/hook",
        1,
        5,
    )
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == ()


async def test_allowed_updates_persist(bot: telegram.Bot, alice: SimUser) -> None:
    await bot.get_updates(allowed_updates=["callback_query"])
    await alice.send("ignored")
    assert await bot.get_updates() == ()
    await bot.get_updates(allowed_updates=[])
    await alice.send("seen")
    assert [u.message.text for u in await bot.get_updates()] == ["seen"]


async def test_document_upload_and_download(
    bot: telegram.Bot, sandbox: Sandbox, alice: SimUser
) -> None:
    sent = await bot.send_document(
        1001,
        io.BytesIO(b"a;b\n1;2\n"),
        filename="export.csv",
        caption="<b>Export</b>",
        parse_mode="HTML",
    )
    assert sent.document.file_name == "export.csv"
    assert sent.caption == "Export"
    assert sandbox.requests[-1].files == {"document": 8}
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"a;b\n1;2\n"
    received = await alice.expect_document()
    assert (received.filename, received.data, received.caption) == (
        "export.csv",
        b"a;b\n1;2\n",
        "Export",
    )
    again = await bot.send_document(1001, sent.document.file_id)
    assert again.document.file_id == sent.document.file_id
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(1001, io.BytesIO(b"x"), filename="x.txt", caption="x" * 1025)


async def test_photo_sizes_come_from_the_image(bot: telegram.Bot, alice: SimUser) -> None:
    sent = await bot.send_photo(1001, sample_png(30, 20))
    assert (sent.photo[-1].width, sent.photo[-1].height) == (30, 20)
    received = await alice.expect_photo()
    assert received.data == sample_png(30, 20)
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(1001, b"not an image")


async def test_users_files_are_downloadable_by_the_bot(bot: telegram.Bot, alice: SimUser) -> None:
    await alice.send_document("cv.pdf", b"%PDF-1.4 fake")
    await alice.send_photo()
    await alice.send_sticker()
    await alice.send_voice()
    updates = await bot.get_updates()
    document, photo, sticker, voice = (u.message for u in updates)
    assert document.document.file_name == "cv.pdf"
    file = await document.document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 fake"
    assert photo.photo[-1].width == 64
    assert sticker.sticker.emoji == "👍"
    assert voice.voice.mime_type == "audio/ogg"


async def test_callback_queries_answer_once_and_expire(
    bot: telegram.Bot, sandbox: Sandbox, alice: SimUser, clock: FakeClock
) -> None:
    sent = await bot.send_message(1001, "Vote ?", reply_markup=YES_NO)
    await alice.tap("Oui")
    await alice.tap("Non", message_id=sent.message_id)
    first, second = (u.callback_query for u in await bot.get_updates())
    assert (first.data, first.from_user.id, first.message.message_id) == ("v:1:yes", 1001, 1)
    assert await first.answer("Merci !")
    assert alice.toasts == ["Merci !"]
    with pytest.raises(BadRequest, match="Query is too old"):
        await first.answer()
    clock.advance(15.5)
    with pytest.raises(BadRequest, match="Query is too old"):
        await second.answer()
    with pytest.raises(BadRequest):
        await bot.answer_callback_query("123", text="x" * 201)


async def test_polls(bot: telegram.Bot, alice: SimUser) -> None:
    message = await bot.send_poll(
        1001,
        "Date ?",
        ["Lundi", "Mardi", "Jeudi"],
        is_anonymous=False,
        allows_multiple_answers=True,
    )
    await alice.answer_poll(message.poll.id, [0, 2])
    await alice.answer_poll(message, [])
    poll_update, answer, _, retraction = await bot.get_updates()
    assert poll_update.poll.options[2].voter_count == 1
    assert answer.poll_answer.option_ids == (0, 2)
    assert answer.poll_answer.user.id == 1001
    assert retraction.poll_answer.option_ids == ()
    stopped = await bot.stop_poll(1001, message.message_id)
    assert stopped.is_closed
    with pytest.raises(BadRequest, match="Poll has already been closed"):
        await bot.stop_poll(1001, message.message_id)
    with pytest.raises(BadRequest, match="Poll can't have more than 12 options"):
        await bot.send_poll(1001, "Q", [str(i) for i in range(13)])
    with pytest.raises(BadRequest, match="Poll question length must not exceed 300"):
        await bot.send_poll(1001, "Q" * 301, ["a"])
    with pytest.raises(BadRequest, match="Poll options length must not exceed 100"):
        await bot.send_poll(1001, "Q", ["a" * 101])


async def test_commands_per_scope_and_language(bot: telegram.Bot) -> None:
    await bot.set_my_commands([("start", "Commencer"), ("aide", "Aide")], language_code="fr")
    await bot.set_my_commands([("start", "Start")], scope=telegram.BotCommandScopeAllPrivateChats())
    assert [c.command for c in await bot.get_my_commands(language_code="fr")] == ["start", "aide"]
    assert await bot.get_my_commands() == ()
    private = await bot.get_my_commands(scope=telegram.BotCommandScopeAllPrivateChats())
    assert [c.description for c in private] == ["Start"]
    await bot.delete_my_commands(language_code="fr")
    assert await bot.get_my_commands(language_code="fr") == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start-Now", "x")])
    with pytest.raises(BadRequest, match="Bot_commands_too_much"):
        await bot.set_my_commands([(f"c{i}", "x") for i in range(101)])
    await bot.set_my_description("Un assistant", language_code="fr")
    assert (await bot.get_my_description("fr")).description == "Un assistant"
    assert await bot.set_chat_menu_button(menu_button=telegram.MenuButtonCommands())


async def test_raw_http_envelope_token_method_names_and_recording(sandbox: Sandbox) -> None:
    base = sandbox.api_url.removesuffix("/bot")
    async with httpx.AsyncClient(base_url=base) as http:
        ok = await http.get(f"/bot{sandbox.token}/GETME")
        assert ok.status_code == 200
        assert ok.json()["ok"] is True
        missing = await http.post(f"/bot{sandbox.token}/sendMagic", data={"a": "1"})
        assert missing.status_code == 404
        assert missing.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }
        wrong = await http.get("/bot42:WRONG/getMe")
        assert (wrong.status_code, wrong.json()["description"]) == (401, "Unauthorized")
        via_json = await http.post(
            f"/bot{sandbox.token}/setMyCommands",
            json={"commands": [{"command": "a", "description": "b"}]},
        )
        assert via_json.json() == {"ok": True, "result": True}
        via_query = await http.get(
            f"/bot{sandbox.token}/getMyCommands", params={"language_code": ""}
        )
        assert via_query.json()["result"] == [{"command": "a", "description": "b"}]
        no_file = await http.get(f"/file/bot{sandbox.token}/documents/nothing.txt")
        assert no_file.status_code == 404
    methods = [(r.method, r.status) for r in sandbox.requests]
    assert methods == [
        ("getMe", 200),
        ("sendMagic", 404),
        ("getMe", 401),
        ("setMyCommands", 200),
        ("getMyCommands", 200),
    ]
    assert sandbox.requests[3].params == {"commands": '[{"command": "a", "description": "b"}]'}
    assert sandbox.requests[1].params == {"a": "1"}


async def test_recorded_params_are_raw_strings(
    bot: telegram.Bot, sandbox: Sandbox, alice: SimUser
) -> None:
    await bot.send_message(1001, "x", reply_markup=YES_NO, disable_notification=True)
    params = sandbox.requests[-1].params
    assert params["chat_id"] == "1001"
    assert params["disable_notification"] == "true"
    assert json.loads(params["reply_markup"]) == YES_NO.to_dict()
