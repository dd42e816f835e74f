"""The Bot API conformance checker flags what Telegram rejects and accepts what PTB sends."""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    InputMediaVideo,
    InputPollOption,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.helpers import create_deep_linked_url
from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter

import tests.conformance.spec as spec_module
from tests.conformance import (
    SPEC_DIR,
    BotApiSpec,
    check_requests,
    load_spec,
    require_spec,
)
from tests.conformance.html_text import reduce_html


@pytest.fixture(scope="module")
def spec() -> BotApiSpec:
    return require_spec()


def encode(**params: Any) -> dict[str, str]:
    """The form values PTB sends for these arguments (strings as-is, the rest JSON)."""
    data = RequestData([RequestParameter.from_input(k, v) for k, v in params.items()])
    return data.json_parameters


def markup(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows])


def button(text: str = "Oui", **action: Any) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, **(action or {"callback_data": "x:1"}))


class Call(NamedTuple):
    method: str
    params: dict[str, str]
    files: Mapping[str, int] = {}


def run(spec: BotApiSpec, call: Call) -> list[str]:
    return spec.check(call.method, call.params, call.files)


# --- PTB's own requests are conformant ------------------------------------------------------


class RecordingRequest(BaseRequest):
    """A PTB transport that records what would go over the wire and answers `ok`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = None,
        write_timeout: object = None,
        connect_timeout: object = None,
        pool_timeout: object = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.json_parameters if request_data else {}
        parts = request_data.multipart_data if request_data else {}
        self.calls.append(Call(name, params, {k: len(v[1]) for k, v in parts.items()}))
        message = {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}
        result: object = True
        if name == "sendMediaGroup":
            result = [message, message]
        elif name.startswith(("send", "edit")):
            result = message
        elif name == "getUpdates":
            result = []
        return 200, json.dumps({"ok": True, "result": result}).encode()


PTB_CALLS: dict[str, Callable[[Bot], Awaitable[object]]] = {
    "html-message-inline-keyboard": lambda bot: bot.send_message(
        1001,
        "<b>Réunion</b> du <i>12 mars</i> &lt;Drôme&gt; — <a href='https://example.org'>lien</a>",
        parse_mode=ParseMode.HTML,
        reply_markup=markup(
            [button("Oui", callback_data="rsvp:1:yes"), button("Non", callback_data="rsvp:1:no")],
            [button("Site", url="https://example.org")],
        ),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        reply_parameters=ReplyParameters(message_id=3, allow_sending_without_reply=True),
        disable_notification=True,
        protect_content=False,
    ),
    "message-to-username": lambda bot: bot.send_message("@reseau_drome", "Bonjour"),
    "reply-keyboard": lambda bot: bot.send_message(
        1,
        "Votre contact ?",
        reply_markup=ReplyKeyboardMarkup(
            [[KeyboardButton("Partager", request_contact=True)], ["Annuler"]],
            resize_keyboard=True,
            one_time_keyboard=True,
        ),
    ),
    "remove-keyboard": lambda bot: bot.send_message(1, "ok", reply_markup=ReplyKeyboardRemove()),
    "force-reply": lambda bot: bot.send_message(1, "Nom ?", reply_markup=ForceReply(True, "Nom")),
    "deep-link-button": lambda bot: bot.send_message(
        1,
        "Invitez vos collègues",
        reply_markup=markup(
            [button("Rejoindre", url=create_deep_linked_url("maillage_bot", "invite-42_a"))]
        ),
    ),
    "edit-text": lambda bot: bot.edit_message_text(
        "<s>annulé</s>",
        chat_id=1,
        message_id=2,
        parse_mode=ParseMode.HTML,
        reply_markup=markup([button("Rouvrir", callback_data="reopen:2")]),
    ),
    "edit-markup": lambda bot: bot.edit_message_reply_markup(1, 2, reply_markup=markup([button()])),
    "answer-callback": lambda bot: bot.answer_callback_query("q1", "Enregistré", show_alert=True),
    "commands-chat-scope": lambda bot: bot.set_my_commands(
        [BotCommand("start", "Démarrer"), BotCommand("agenda", "Prochaines réunions")],
        scope=BotCommandScopeChat(-1001234),
        language_code="fr",
    ),
    "delete-commands": lambda bot: bot.delete_my_commands(scope=BotCommandScopeDefault()),
    "poll": lambda bot: bot.send_poll(
        1,
        "Quelle date ?",
        ["Mardi", InputPollOption("Jeudi")],
        is_anonymous=False,
        allows_multiple_answers=True,
        open_period=600,
    ),
    "photo-upload": lambda bot: bot.send_photo(1, b"\x89PNG" * 10, caption="<b>Affiche</b>"),
    "document-with-thumbnail": lambda bot: bot.send_document(
        1, b"%PDF-1.7", thumbnail=b"\xff\xd8\xff", filename="cr.pdf", caption="Compte rendu"
    ),
    "media-group-mixed": lambda bot: bot.send_media_group(
        1,
        [
            InputMediaPhoto(b"photo", caption="1"),
            InputMediaVideo(b"video"),
            InputMediaPhoto("file-id"),
        ],
    ),
    "descriptions": lambda bot: bot.set_my_description("Le bot du réseau.", language_code="fr"),
    "short-description": lambda bot: bot.set_my_short_description("Réseau Drôme"),
    "get-updates": lambda bot: bot.get_updates(offset=5, timeout=10, allowed_updates=["message"]),
    "delete-message": lambda bot: bot.delete_message(-100123, 7),
}


@pytest.mark.parametrize("scenario", PTB_CALLS)
async def test_requests_encoded_by_ptb_are_conformant(spec: BotApiSpec, scenario: str) -> None:
    transport = RecordingRequest()
    await PTB_CALLS[scenario](Bot("123:abc", request=transport, get_updates_request=transport))

    assert transport.calls
    assert [line for call in transport.calls for line in run(spec, call)] == []


def test_method_names_are_case_insensitive(spec: BotApiSpec) -> None:
    assert spec.check("SENDMESSAGE", encode(chat_id=1, text="hi")) == []
    assert spec.check("sendmessage", encode(chat_id=1, text="hi")) == []


# --- structure and types ---------------------------------------------------------------------


def test_unknown_method(spec: BotApiSpec) -> None:
    assert spec.check("sendMesage", encode(chat_id=1, text="hi")) == [
        "sendMesage: unknown Bot API method (not in Bot API 10.0)"
    ]


def test_missing_required_field(spec: BotApiSpec) -> None:
    assert spec.check("sendMessage", encode(chat_id=1)) == [
        "sendMessage: text: required field of sendMessage is missing"
    ]


def test_unknown_field(spec: BotApiSpec) -> None:
    assert spec.check(
        "sendMessage", encode(chat_id=1, text="hi", disable_web_page_preview=True)
    ) == ["sendMessage: disable_web_page_preview: unknown field of sendMessage"]


VALID_PARAMS = {
    "sendMessage": encode(chat_id=1, text="hi"),
    "sendLocation": encode(chat_id=1, latitude=44.9, longitude=4.9),
    "getUpdates": {},
}


@pytest.mark.parametrize(
    ("method", "params", "expected"),
    [
        ("sendMessage", {"disable_notification": "True"}, "expected Boolean, got 'True'"),
        ("sendMessage", {"disable_notification": "1"}, "expected Boolean, got 1"),
        ("sendMessage", {"message_thread_id": "abc"}, "expected Integer, got 'abc'"),
        ("sendMessage", {"message_thread_id": "1.5"}, "expected Integer, got 1.5"),
        ("sendMessage", {"message_thread_id": "true"}, "expected Integer, got true"),
        ("sendLocation", {"latitude": '"44.9"'}, 'expected Float, got "44.9"'),
        ("getUpdates", {"allowed_updates": '"message"'}, 'expected Array of String, got "message"'),
        ("getUpdates", {"allowed_updates": "[1]"}, "allowed_updates[0]: expected String, got 1"),
        ("sendMessage", {"reply_markup": "[]"}, "expected InlineKeyboardMarkup or"),
    ],
)
def test_wrong_scalar_type(
    spec: BotApiSpec, method: str, params: dict[str, str], expected: str
) -> None:
    violations = spec.check(method, VALID_PARAMS[method] | params)

    assert len(violations) == 1
    assert expected in violations[0]


def test_integer_or_string_chat_id_and_float_accept_both_forms(spec: BotApiSpec) -> None:
    assert spec.check("sendLocation", encode(chat_id="@canal", latitude=45, longitude=4.5)) == []


def test_bad_nested_objects(spec: BotApiSpec) -> None:
    keyboard = {
        "inline_keyboard": [
            [{"text": "a", "callback_data": "x"}, {"callback_data": "y"}],
            [{"text": "b", "callback_data": 3, "colour": "red"}],
        ]
    }
    params = encode(
        chat_id=1,
        text="hi",
        reply_markup=keyboard,
        link_preview_options={"is_disabled": "yes"},
    )

    assert spec.check("sendMessage", params) == [
        "sendMessage: reply_markup.inline_keyboard[0][1].text: "
        "required field of InlineKeyboardButton is missing",
        "sendMessage: reply_markup.inline_keyboard[1][0].callback_data: expected String, got 3",
        "sendMessage: reply_markup.inline_keyboard[1][0].colour: "
        "unknown field of InlineKeyboardButton",
        'sendMessage: link_preview_options.is_disabled: expected Boolean, got "yes"',
    ]


def test_reply_markup_union_is_reported_as_the_closest_type(spec: BotApiSpec) -> None:
    params = encode(chat_id=1, text="hi", reply_markup={"keyboard": [["a"]], "selective": "no"})

    assert spec.check("sendMessage", params) == [
        'sendMessage: reply_markup.selective: expected Boolean, got "no"'
    ]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (
            {"type": "chats", "chat_id": 1},
            'scope.type: "chats" is not one of all_chat_administrators, all_group_chats, '
            "all_private_chats, chat, chat_administrators, chat_member, default "
            "(type of BotCommandScope)",
        ),
        ({"chat_id": 1}, "scope.type: null is not one of"),
        ({"type": "chat"}, "scope.chat_id: required field of BotCommandScopeChat is missing"),
        (
            {"type": "default", "chat_id": 1},
            "scope.chat_id: unknown field of BotCommandScopeDefault",
        ),
        (
            {"type": "chat_member", "chat_id": 1, "user_id": "7"},
            "scope.user_id: expected Integer, got",
        ),
    ],
)
def test_bad_subtype(spec: BotApiSpec, scope: dict[str, Any], expected: str) -> None:
    params = encode(commands=[BotCommand("start", "Démarrer")], scope=scope)
    violations = spec.check("setMyCommands", params)

    assert len(violations) == 1
    assert violations[0].startswith(f"setMyCommands: {expected}")


def test_bad_input_media(spec: BotApiSpec) -> None:
    media = [
        {"type": "photo", "media": "attach://one", "spoiler": True},
        {"type": "sticker", "media": "file-id"},
        {"type": "video", "media": "attach://missing"},
    ]
    files = {"one": 10, "stray": 10}

    assert spec.check("sendMediaGroup", encode(chat_id=1, media=media), files) == [
        "sendMediaGroup: media[0].spoiler: unknown field of InputMediaPhoto",
        'sendMediaGroup: media[1].type: "sticker" is not one of audio, document, live_photo, '
        "photo, video (type of InputMediaAudio or InputMediaDocument or InputMediaLivePhoto or "
        "InputMediaPhoto or InputMediaVideo)",
        "sendMediaGroup: media[2].media: attach://missing names no uploaded file",
        "sendMediaGroup: files['stray']: uploaded file is neither an InputFile parameter "
        "nor referenced by attach://",
    ]


def test_file_for_a_parameter_that_is_not_an_input_file(spec: BotApiSpec) -> None:
    violations = spec.check("sendMessage", encode(chat_id=1), {"text": 3})

    assert violations == ["sendMessage: text: uploaded as a file, but the parameter is String"]


def test_input_file_may_be_a_file_id_or_url(spec: BotApiSpec) -> None:
    assert spec.check("sendPhoto", encode(chat_id=1, photo="AgACAgQAAx")) == []
    assert spec.check("sendPhoto", encode(chat_id=1, photo="https://example.org/a.jpg")) == []


@pytest.mark.parametrize(
    ("buttons", "expected"),
    [
        ([{"text": "a"}], "got none"),
        (
            [{"text": "a", "callback_data": "x", "url": "https://e.org"}],
            "got ['callback_data', 'url']",
        ),
    ],
)
def test_inline_button_needs_exactly_one_action(
    spec: BotApiSpec, buttons: list[dict[str, Any]], expected: str
) -> None:
    params = encode(chat_id=1, text="hi", reply_markup={"inline_keyboard": [buttons]})
    violations = spec.check("sendMessage", params)

    assert len(violations) == 1
    assert violations[0].startswith(
        "sendMessage: reply_markup.inline_keyboard[0][0]: InlineKeyboardButton needs exactly one of"
    )
    assert violations[0].endswith(expected)


def test_reply_keyboard_button_allows_at_most_one_request(spec: BotApiSpec) -> None:
    both = {"text": "a", "request_contact": True, "request_location": True}
    params = encode(chat_id=1, text="hi", reply_markup={"keyboard": [[both, "plain text"]]})

    assert spec.check("sendMessage", params) == [
        "sendMessage: reply_markup.keyboard[0][0]: KeyboardButton needs at most one of "
        "request_chat, request_contact, request_location, request_managed_bot, request_poll, "
        "request_users, web_app; got ['request_contact', 'request_location']"
    ]


@pytest.mark.parametrize("mode", ["html", "Markdown2", "HTML "])
def test_unknown_parse_mode(spec: BotApiSpec, mode: str) -> None:
    violations = spec.check("sendMessage", encode(chat_id=1, text="hi", parse_mode=mode))

    assert violations == [
        f"sendMessage: parse_mode: {json.dumps(mode)} is not one of HTML, MarkdownV2, Markdown"
    ]


@pytest.mark.parametrize("mode", ["HTML", "MarkdownV2", "Markdown"])
def test_known_parse_modes(spec: BotApiSpec, mode: str) -> None:
    assert spec.check("sendMessage", encode(chat_id=1, text="*hi*", parse_mode=mode)) == []


# --- limits: exactly at the limit passes, one over fails --------------------------------------


class LimitCase(NamedTuple):
    limit_id: str
    at_limit: Call
    over_limit: Call


def case(limit_id: str, make: Callable[[Any], Call], at: object, over: object) -> LimitCase:
    """`make(at)` sits exactly at the limit, `make(over)` is one past it."""
    return LimitCase(limit_id, make(at), make(over))


def message(text: str, **extra: Any) -> Call:
    return Call("sendMessage", encode(chat_id=1, text=text, **extra))


def html_message(text: str) -> Call:
    return message(text, parse_mode=ParseMode.HTML)


def edited_text(text: str) -> Call:
    return Call("editMessageText", encode(chat_id=1, message_id=2, text=text))


def photo_caption(caption: str) -> Call:
    return Call("sendPhoto", encode(chat_id=1, photo="file-id", caption=caption))


def html_document_caption(caption: str) -> Call:
    params = encode(chat_id=1, document="file-id", caption=caption, parse_mode=ParseMode.HTML)
    return Call("sendDocument", params)


def keyboard(*rows: int, callback_data: str = "x", text: str = "b") -> Call:
    built = [[button(text, callback_data=callback_data)] * size for size in rows]
    return message("hi", reply_markup=InlineKeyboardMarkup(built))


def answer(text: str) -> Call:
    return Call("answerCallbackQuery", encode(callback_query_id="q", text=text))


def poll(question: str = "Q ?", options: tuple[str, ...] = ("a",), **extra: Any) -> Call:
    polled = [InputPollOption(option) for option in options]
    return Call("sendPoll", encode(chat_id=1, question=question, options=polled, **extra))


def commands(count: int = 1, name: str = "start", description: str = "Démarrer") -> Call:
    listed = [BotCommand(f"{name}{i or ''}", description) for i in range(count)]
    return Call("setMyCommands", encode(commands=listed))


def setting(method: str, name: str) -> Callable[[object], Call]:
    return lambda value: Call(method, encode(**{name: value}))


def media_group(count: int) -> Call:
    return Call("sendMediaGroup", encode(chat_id=1, media=[InputMediaPhoto("file-id")] * count))


def deep_link(payload: str) -> Call:
    return html_message(f'<a href="https://t.me/maillage_bot?start={payload}">Rejoindre</a>')


def webhook(name: str) -> Callable[[object], Call]:
    return lambda value: Call("setWebhook", encode(url="https://e.org/hook", **{name: value}))


def upload(method: str, name: str) -> Callable[[int], Call]:
    return lambda size: Call(method, encode(chat_id=1), {name: size})


def thumbnail(size: int) -> Call:
    params = encode(chat_id=1, document="file-id", thumbnail="attach://thumb")
    return Call("sendDocument", params, {"thumb": size})


LIMIT_CASES = [
    case("message.text", message, "é" * 4096, "é" * 4097),
    case("message.text", message, "a", ""),
    case("message.text", message, "a", " \n "),
    case("message.text", html_message, f"<b>{'a' * 4096}</b>", f"<b>{'a' * 4097}</b>"),
    case("message.text", html_message, "&lt;" * 4096, "&lt;" * 4097),
    case("message.text", html_message, "<b> </b>x", "<b> </b>"),
    case("message.text", edited_text, "a" * 4096, "a" * 4097),
    case("caption", photo_caption, "c" * 1024, "c" * 1025),
    case("caption", html_document_caption, f"<i>{'c' * 1024}</i>", f"<i>{'c' * 1025}</i>"),
    case(
        "inline_keyboard_button.callback_data",
        lambda data: keyboard(1, callback_data=data),
        "é" * 32,
        "é" * 32 + "a",
    ),
    case("inline_keyboard_button.callback_data", lambda d: keyboard(1, callback_data=d), "a", ""),
    case("inline_keyboard.buttons_per_row", keyboard, 8, 9),
    case("inline_keyboard.total_buttons", lambda last: keyboard(*[8] * 12, last), 4, 5),
    case("inline_keyboard_button.text", lambda text: keyboard(1, text=text), "b", ""),
    case("answerCallbackQuery.text", answer, "t" * 200, "t" * 201),
    case("poll.question", poll, "q" * 300, "q" * 301),
    case("poll.question", poll, "q", ""),
    case("poll.options.count", lambda count: poll(options=("o",) * count), 12, 13),
    case("poll.options.count", lambda count: poll(options=("o",) * count), 1, 0),
    case("poll.option.text", lambda text: poll(options=(text,)), "o" * 100, "o" * 101),
    case("poll.option.text", lambda text: poll(options=(text,)), "o", ""),
    case("poll.explanation", lambda text: poll(explanation=text), "e" * 200, "e" * 201),
    case("poll.explanation", lambda text: poll(explanation=text), "a\nb\nc", "a\nb\nc\nd"),
    case(
        "poll.description",
        lambda text: poll(description=text, description_parse_mode=ParseMode.HTML),
        f"<u>{'d' * 1024}</u>",
        f"<u>{'d' * 1025}</u>",
    ),
    case("poll.open_period", lambda seconds: poll(open_period=seconds), 5, 4),
    case("poll.open_period", lambda seconds: poll(open_period=seconds), 2628000, 2628001),
    case("bot_command.command", lambda name: commands(name=name), "c" * 32, "c" * 33),
    case("bot_command.command", lambda name: commands(name=name), "start_2", "Start"),
    case("bot_command.command", lambda name: commands(name=name), "start", "start-now"),
    case("bot_command.description", lambda d: commands(description=d), "d" * 256, "d" * 257),
    case("bot_command.description", lambda d: commands(description=d), "d", ""),
    case("setMyCommands.commands", commands, 100, 101),
    case(
        "setMyDescription.description",
        setting("setMyDescription", "description"),
        "d" * 512,
        "d" * 513,
    ),
    case(
        "setMyShortDescription.short_description",
        setting("setMyShortDescription", "short_description"),
        "d" * 120,
        "d" * 121,
    ),
    case("setMyName.name", setting("setMyName", "name"), "n" * 64, "n" * 65),
    case("sendMediaGroup.media", media_group, 10, 11),
    case("sendMediaGroup.media", media_group, 2, 1),
    case("deep_link.start_payload", deep_link, "a" * 64, "a" * 65),
    case("deep_link.start_payload", deep_link, "invite-42_a", "invite.42"),
    case("deep_link.start_payload", message, "t.me/b?startgroup=a_b", "t.me/b?startgroup=a%20b"),
    case(
        "deep_link.start_payload",
        lambda url: message("hi", reply_markup=markup([button(url=url)])),
        "tg://resolve?domain=maillage_bot&start=x",
        "tg://resolve?domain=maillage_bot&start=",
    ),
    case("setWebhook.max_connections", webhook("max_connections"), 100, 101),
    case("setWebhook.secret_token", webhook("secret_token"), "s-_1", "s:1"),
    case("upload.photo.multipart", upload("sendPhoto", "photo"), 10_000_000, 10_000_001),
    case("upload.other.multipart", upload("sendDocument", "document"), 50_000_000, 50_000_001),
    case("upload.thumbnail", thumbnail, 200_000, 200_001),
]


@pytest.mark.parametrize(
    "limit_case", LIMIT_CASES, ids=[f"{c.limit_id}-{i}" for i, c in enumerate(LIMIT_CASES)]
)
def test_limit(spec: BotApiSpec, limit_case: LimitCase) -> None:
    assert run(spec, limit_case.at_limit) == []
    violations = run(spec, limit_case.over_limit)
    assert violations
    assert all(f"({limit_case.limit_id})" in line for line in violations), violations


def test_limit_violation_names_the_field_path(spec: BotApiSpec) -> None:
    params = encode(
        chat_id=1,
        text="hi",
        reply_markup=markup([button(), button(), button(callback_data="x" * 65)]),
    )

    assert spec.check("sendMessage", params) == [
        "sendMessage: reply_markup.inline_keyboard[0][2].callback_data: "
        "65 UTF-8 bytes, allowed 1..64 (inline_keyboard_button.callback_data)"
    ]


def test_limits_apply_only_to_the_methods_they_name(spec: BotApiSpec) -> None:
    assert spec.check("sendMessage", encode(chat_id=1, text="x", disable_notification=True)) == []
    assert spec.check("sendChatAction", encode(chat_id=1, action="typing")) == []
    long_quote = ReplyParameters(message_id=1, quote="q" * 5000)
    assert spec.check("sendMessage", encode(chat_id=1, text="x", reply_parameters=long_quote)) == []


def test_every_request_side_limit_is_applied(spec: BotApiSpec) -> None:
    tested = {case[0] for case in LIMIT_CASES}

    assert spec.applied_limits == tested


# --- HTML parse mode ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<div>x</div>", "unsupported tag <div>"),
        ("a<br/>b", "unsupported self-closing tag <br/>"),
        ("<b>gras", "unclosed tag <b>"),
        ("gras</b>", "unexpected end tag </b>"),
        ("<b><i>x</b></i>", "end tag </b> does not match the open <i>"),
        ("<span>x</span>", '<span> must have class="tg-spoiler"'),
        ("1 < 2", "unescaped '<' (write &lt;)"),
        ("<pre><b>x</b></pre>", "<b> inside <pre>: pre/code cannot contain tags"),
        ("<blockquote><blockquote>x</blockquote></blockquote>", "nested <blockquote>"),
        ("<!-- note -->x", "unsupported markup"),
    ],
)
def test_bad_html(spec: BotApiSpec, text: str, error: str) -> None:
    violations = spec.check("sendMessage", encode(chat_id=1, text=text, parse_mode="HTML"))

    assert any(v.startswith(f"sendMessage: text: invalid HTML: {error}") for v in violations)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("<b>a</b><strong>b</strong><i>c</i><em>d</em><u>e</u><ins>f</ins>", "abcdef"),
        ("<s>a</s><strike>b</strike><del>c</del><tg-spoiler>d</tg-spoiler>", "abcd"),
        ('<span class="tg-spoiler">a</span><a href="https://e.org?a=1&b=2">b</a>', "ab"),
        ('<pre><code class="language-python">x = 1</code></pre><code>y</code>', "x = 1y"),
        ("<blockquote expandable>a</blockquote><blockquote>b</blockquote>", "ab"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
        ('<tg-time unix="1700000000" format="wDT">demain</tg-time>', "demain"),
        ("<B>x</B>", "x"),
        ("&lt;&gt;&amp;&quot;&#233;&#xE9;", '<>&"éé'),
        ("AT&T &nbsp; &copy;", "AT&T &nbsp; &copy;"),
    ],
)
def test_html_reduced_to_the_text_telegram_counts(spec: BotApiSpec, text: str, plain: str) -> None:
    reduction = reduce_html(text, spec.rules.html)

    assert reduction.errors == ()
    assert reduction.text == plain
    assert spec.check("sendMessage", encode(chat_id=1, text=text, parse_mode="HTML")) == []


@hypothesis_settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_escaped_text_reduces_to_itself(spec: BotApiSpec, text: str) -> None:
    reduction = reduce_html(html.escape(text, quote=False), spec.rules.html)

    assert reduction == type(reduction)(text, ())


# --- check_requests and the spec location --------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    params: dict[str, str]
    files: dict[str, int] = field(default_factory=dict)
    status: int = 200
    description: str | None = None


def test_check_requests_numbers_the_offending_requests(spec: BotApiSpec) -> None:
    recorded = [
        RecordedRequest("getMe", {}),
        RecordedRequest("sendMessage", encode(chat_id=1, text="")),
        RecordedRequest("answerCallbackQuery", encode(callback_query_id="q")),
        RecordedRequest("sendPhoto", encode(chat_id=1), {"photo": 5, "x": 1}, 400, "Bad Request"),
    ]

    assert check_requests(spec, recorded) == [
        "sendMessage #1: text: 0 characters after entity parsing, allowed 1..4096 (message.text)",
        "sendPhoto #3: files['x']: uploaded file is neither an InputFile parameter "
        "nor referenced by attach://",
    ]


def test_spec_dir_sits_beside_the_repo() -> None:
    repo = Path(__file__).resolve().parents[2]

    assert repo.parent / "shared" / "telegram" == SPEC_DIR


def test_missing_spec_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(spec_module, "SPEC_DIR", tmp_path / "absent")
    monkeypatch.delenv("CI", raising=False)

    assert load_spec() is None
    with pytest.raises(pytest.skip.Exception, match="shared/ sits beside the repo"):
        require_spec()


def test_missing_spec_fails_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(spec_module, "SPEC_DIR", tmp_path / "absent")
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_spec()
