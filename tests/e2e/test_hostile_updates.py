"""Hostile and unusual updates, injected verbatim through the sandbox's HTTP getUpdates.

An independent client can send any JSON as an update. Whatever it sends, no traceback may
reach the log, no exception the error handler, every request the bot makes in answer must
be one Telegram accepts (the ``sandbox`` fixture's teardown checks them), and the database
must stay consistent. The first test plays every kind of update the issue lists; the
second lets hypothesis generate arbitrary ones (``MAILLAGE_FUZZ_EXAMPLES``, default 200).
"""

from __future__ import annotations

import asyncio
import logging
import os
import string
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.sandbox import SimUser
from bot.sandbox.markup import button_rows
from conversations.commands import COMMANDS
from tests.conformance import check_requests, load_spec
from tests.e2e import hostile
from tests.e2e.conftest import Network

pytestmark = pytest.mark.e2e

FUZZ_EXAMPLES = int(os.environ.get("MAILLAGE_FUZZ_EXAMPLES", "200"))


class LogWatch(logging.Handler):
    """Every record at WARNING or above, from any logger, while installed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def problems(self, since: int = 0) -> list[str]:
        """Tracebacks, errors and error-handler calls; a one-line warning is not one."""
        return [
            f"{r.name}.{r.funcName}: {r.getMessage()} {r.exc_info[1]!r}"
            if r.exc_info
            else f"{r.name}.{r.funcName}: {r.getMessage()}"
            for r in self.records[since:]
            if r.exc_info or r.levelno >= logging.ERROR or r.funcName == "on_error"
        ]


@contextmanager
def watching_logs() -> Iterator[LogWatch]:
    watch = LogWatch()
    root = logging.getLogger()
    level = root.level
    root.addHandler(watch)
    root.setLevel(min(level, logging.WARNING))
    try:
        yield watch
    finally:
        root.removeHandler(watch)
        root.setLevel(level)


async def settle(network: Network, within: float = 20.0) -> None:
    """Wait until the bot fetched, dispatched and finished every update injected so far."""
    assert network.runtime is not None and network.runtime.application is not None
    application = network.runtime.application
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    calm = 0
    while calm < 3:
        busy = (
            network.sandbox.pending_updates
            or not application.update_queue.empty()
            or application.update_processor.current_concurrent_updates
        )
        calm = 0 if busy else calm + 1
        if loop.time() > deadline:
            raise TimeoutError("the bot did not settle")
        await asyncio.sleep(0.01)


async def database_problems(network: Network, never_consented: list[int]) -> list[str]:
    db = network.services.db
    problems = [
        f"integrity: {row[0]}"
        for row in await db.fetchall("PRAGMA integrity_check")
        if row[0] != "ok"
    ]
    problems += [
        f"foreign key: {tuple(row)}" for row in await db.fetchall("PRAGMA foreign_key_check")
    ]
    for user_id in never_consented:
        if await network.services.members.get(user_id) is not None:
            problems.append(f"a member row for {user_id}, who never consented")
    return problems


async def groups_for(network: Network, members: list[SimUser]) -> None:
    """The sandbox chats behind hostile.SUPERGROUP/CHANNEL/GROUP: the bot could answer there."""
    for chat in (hostile.SUPERGROUP, hostile.CHANNEL, hostile.GROUP):
        network.sandbox.add_group(chat["title"], members, chat_id=chat["id"])
    await network.sandbox.wait_idle()


def answered_queries(network: Network, since: int) -> list[str]:
    return [
        r.params["callback_query_id"]
        for r in network.sandbox.requests[since:]
        if r.method == "answerCallbackQuery" and r.status == 200
    ]


def sends(network: Network, since: int, chat_id: int) -> list[str]:
    return [
        r.params.get("text", "")
        for r in network.sandbox.requests[since:]
        if r.method.startswith(("send", "edit")) and r.params.get("chat_id") == str(chat_id)
    ]


async def test_every_odd_kind_of_update_is_handled_quietly(network: Network) -> None:
    zoe = await network.member("Zoé")
    stranger = network.newcomer("Inconnu", started=True)
    await groups_for(network, [zoe])
    catalogue = hostile.catalogue(zoe.user_id, stranger.user_id)
    catalogue["command_other_bot_in_group"] = {
        "message": hostile.command(zoe.user_id, "/aide@othebot", chat=hostile.GROUP)
    }
    catalogue["unknown_command_in_group"] = {
        "message": hostile.command(zoe.user_id, "/inconnue", chat=hostile.GROUP)
    }
    catalogue["unknown_command_to_me_in_group"] = {
        "message": hostile.command(zoe.user_id, "/inconnue@maillage_bot", chat=hostile.GROUP)
    }
    replies: dict[str, list[str]] = {}
    with watching_logs() as logs:
        for name, raw in catalogue.items():
            before, seen = len(network.sandbox.requests), len(logs.records)
            network.sandbox.inject_update(raw)
            await settle(network)
            assert not logs.problems(seen), (name, logs.problems(seen))
            query = raw.get("callback_query")
            if query is not None:  # never dropped silently: the spinner stops, once
                assert answered_queries(network, before) == [query["id"]], name
            replies[name] = [
                text
                for chat in (zoe.user_id, stranger.user_id, *(c["id"] for c in hostile.CHATS))
                for text in sends(network, before, chat)
            ]
        # Polling was never stuck on an update the library cannot read.
        await zoe.send("/aide")
        await zoe.expect("Ce que je sais faire")
        warnings = {r.name for r in logs.records}
    assert warnings <= {"bot.update_reading"}, warnings
    silent = [
        "edited_message",
        "edited_text",
        "channel_post",
        "channel_post_command",
        "edited_channel_post",
        "inline_query",
        "chosen_inline_result",
        "my_chat_member_private",
        "my_chat_member_stranger",
        "my_chat_member_channel",
        "chat_member",
        "chat_join_request",
        "poll",
        "poll_answer_stranger",
        "poll_answer_voter_chat",
        "message_reaction",
        "shipping_query",
        "pre_checkout_query",
        "message_without_from",
        "message_from_sender_chat_group",
        "message_from_sender_chat_channel",
        "unknown_kind",
        "unknown_kind_scalar",
        "empty_update",
        "business_message",
        "unreadable_poll",
        "unreadable_my_chat_member",
        "command_other_bot_in_group",
        "callback_inline_message",
        "callback_inaccessible_message",  # answered "expired", nothing sent
        "callback_without_data",
    ]
    assert {name: replies[name] for name in silent if replies[name]} == {}
    not_understood = "Je n’ai pas compris. Tapez /menu pour voir ce que je sais faire."
    for name in ("huge_text", "nul_and_rtl", "entities_outside", "entities_split_surrogate"):
        assert replies[name] == [not_understood], name
    assert replies["deep_link_garbage"][0] == "Ce lien n’est pas (ou plus) valide."
    assert replies["command_other_bot"] == [
        "Je ne connais pas cette commande. Tapez /aide pour la liste."
    ]
    assert replies["unknown_command_to_me_in_group"] == replies["command_other_bot"]
    assert replies["unknown_command_in_group"] == replies["command_other_bot"]
    assert replies["stranger_message"] == [
        "Bonjour ! Tapez /start pour vous inscrire (ou terminer votre inscription)."
    ]
    assert "Ce bouton a expiré." in zoe.toasts
    assert await database_problems(network, [stranger.user_id]) == []


# -- generated updates ------------------------------------------------------------------------

ZOE, ANNE, STRANGER = 1501, 900, 1502  # ANNE is the configured animator (tests.conftest)
USERS = (ZOE, ANNE, STRANGER, 7)  # 7: nobody the sandbox knows
PREFIXES = [
    "consent",
    "menu",
    "lang",
    "role_pick",
    "role_set",
    "onb_ok",
    "onb_edit",
    "prof_edit",
    "erase",
    "journal",
    "pref_out",
    "pref_want",
    "pref_quiet",
    "cd_home",
    "cd_new",
    "cd_vote",
    "cd_rsvp",
    "dq_ans",
    "dq_go",
    "dq_nav",
    "nl_act",
    "nl_seg",
    "nl_cancel",
    "vote",
    "vt_prop",
]
COMMAND_NAMES = sorted({name for fr, en, *_ in COMMANDS for name in (fr, en)})

json_scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
odd_keys = st.dictionaries(
    st.text(string.ascii_lowercase + "_", max_size=12), json_values, max_size=2
)
user_ids = st.sampled_from(USERS) | st.integers(-(2**40), 2**40)
# Telegram only sends updates of chats the bot can see: chats the sandbox knows, whatever
# type the update claims (a hostile type on a known id is fair game).
chats = st.sampled_from(
    [hostile.private_chat(u) for u in (ZOE, ANNE, STRANGER)]
    + list(hostile.CHATS)
    + [{**hostile.GROUP, "type": "private"}, {"id": ZOE, "type": "channel", "title": "x"}]
) | st.builds(
    lambda i, t: {"id": i, "type": t},
    st.sampled_from([ZOE, ANNE, STRANGER, *(c["id"] for c in hostile.CHATS)]),
    st.sampled_from(["private", "group", "supergroup", "x"]),
)


@st.composite
def texts(draw: st.DrawFn) -> str:
    command = "/" + draw(st.sampled_from(COMMAND_NAMES) | st.text("abcz_", min_size=1, max_size=8))
    return draw(
        st.one_of(
            st.text(max_size=50),
            st.just(command),
            st.builds(lambda s: f"{command}@{s}", st.sampled_from(["maillage_bot", "othebot", ""])),
            st.builds(lambda s: f"{command} {s}", st.text(max_size=70)),
            st.builds(lambda n: "é🙂" * n, st.integers(2000, 2600)),
            st.just("\x00\u202e\u200f/start\x00"),
        )
    )


entities = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["bot_command", "bold", "mention", "text_link", "zz"]),
            "offset": st.integers(-5, 200),
            "length": st.integers(-2, 200),
        },
        optional={"url": st.text(max_size=10)},
    ),
    max_size=3,
)


@st.composite
def messages(draw: st.DrawFn) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "message_id": draw(st.integers(-3, 2**31)),
        "date": draw(st.sampled_from([0, hostile.DATE]) | st.integers(-1, 2**33)),
        "chat": draw(chats),
    }
    sender = draw(st.sampled_from(["user", "none", "null", "sender_chat"]))
    if sender in ("user", "sender_chat"):
        raw["from"] = hostile.user(
            draw(user_ids),
            draw(st.text(min_size=1, max_size=10)),
            draw(st.sampled_from(["fr", "en", "de", None])),
        )
    if sender == "null":
        raw["from"] = None
    if sender == "sender_chat":
        raw["sender_chat"] = draw(chats)
    if draw(st.booleans()):
        raw["text"] = draw(texts())
        if draw(st.booleans()):
            raw["entities"] = draw(entities)
    else:
        raw[
            draw(st.sampled_from(["sticker", "photo", "poll", "location", "contact", "new_thing"]))
        ] = draw(json_values)
    raw.update(draw(odd_keys))
    return raw


@st.composite
def callback_queries(draw: st.DrawFn) -> dict[str, Any]:
    prefix = draw(st.sampled_from(PREFIXES))
    fields = draw(
        st.lists(st.sampled_from(["1", "0", "yes", "no", str(ZOE), "-1", "x" * 20]), max_size=4)
    )
    data = draw(
        st.one_of(
            st.just(":".join([prefix, "1", *fields])[:64]),
            st.just(":".join([prefix, draw(st.sampled_from(["0", "2", "x"])), *fields])[:64]),
            st.text(max_size=64),
            st.binary(max_size=64).map(lambda b: b.decode("latin-1")),
        )
    )
    where = draw(st.sampled_from(["message", "inaccessible", "inline", "nothing"]))
    query = hostile.callback(
        draw(st.sampled_from((ZOE, ANNE))), data if draw(st.integers(0, 9)) else None
    )
    if where == "message":
        query["message"] = draw(messages())
    elif where == "inaccessible":
        query["message"] = {"message_id": 1, "date": 0, "chat": draw(chats)}
    elif where == "inline":
        query["inline_message_id"] = draw(st.text(max_size=10))
    query.update(draw(odd_keys))
    return query


@st.composite
def member_changes(draw: st.DrawFn) -> dict[str, Any]:
    statuses = st.sampled_from(["member", "left", "kicked", "restricted", "creator", "??"])
    raw = hostile.chat_member_updated(draw(user_ids), draw(chats), draw(statuses), draw(statuses))
    for key in draw(st.lists(st.sampled_from(list(raw)), max_size=2, unique=True)):
        del raw[key]
    return raw


@st.composite
def poll_answers(draw: st.DrawFn) -> dict[str, Any]:
    options = draw(st.lists(st.integers(-2, 20), max_size=3))
    raw: dict[str, Any] = {
        "poll_id": draw(st.sampled_from(["1", "999"]) | st.text(max_size=5)),
        "option_ids": options,
        "option_persistent_ids": [str(o) for o in options],
    }
    if draw(st.booleans()):
        raw["user"] = hostile.user(draw(st.sampled_from((ZOE, ANNE, 7))))
    else:
        raw["voter_chat"] = draw(chats)
    return raw


updates = st.one_of(
    st.builds(lambda m: {"message": m}, messages()),
    st.builds(lambda q: {"callback_query": q}, callback_queries()),
    st.builds(lambda c: {"my_chat_member": c}, member_changes()),
    st.builds(lambda a: {"poll_answer": a}, poll_answers()),
    st.builds(
        lambda kind, m: {kind: m},
        st.sampled_from(
            ["edited_message", "channel_post", "edited_channel_post", "business_message"]
        ),
        messages(),
    ),
    st.dictionaries(
        st.sampled_from(
            [
                "inline_query",
                "chosen_inline_result",
                "chat_member",
                "chat_join_request",
                "poll",
                "message_reaction",
                "shipping_query",
                "pre_checkout_query",
                "something_new",
            ]
        ),
        json_values,
        min_size=0,
        max_size=2,
    ),
)


# Real member actions mixed in, so that generated updates meet the features' states: a
# press on a button of a bot message (any of them, old ones included) or a typed text.
presses = st.tuples(
    st.just("press"), st.sampled_from((ZOE, ANNE)), st.integers(0, 30), st.integers(0, 30)
)
typing = st.tuples(st.just("say"), st.sampled_from((ZOE, ANNE, STRANGER)), texts())
actions = st.one_of(updates, presses, typing)


async def act(network: Network, action: dict[str, Any] | tuple[Any, ...]) -> None:
    """Inject a raw update, or have a simulated member press a real button or type."""
    if isinstance(action, dict):
        network.sandbox.inject_update(action)
        return
    world = network.sandbox.world
    if action[0] == "say":
        _, user_id, text = action
        if text.strip():
            await network.sandbox.user(user_id).send(text)
        return
    _, user_id, message_index, button_index = action
    with_buttons = [
        message
        for message in world.chat(user_id).messages.values()
        if message.sender.is_bot and not message.deleted
        if any("callback_data" in b for row in button_rows(message.reply_markup) for b in row)
    ]
    if not with_buttons:
        return
    message = with_buttons[-1 - message_index % len(with_buttons)]
    data = [
        b["callback_data"]
        for row in button_rows(message.reply_markup)
        for b in row
        if "callback_data" in b
    ]
    await network.sandbox.user(user_id).tap_data(data[button_index % len(data)], message.message_id)


async def test_generated_updates_never_reach_the_error_handler(network: Network) -> None:
    """Hypothesis drives the live bot from a worker thread; the bot runs in this test's loop."""
    zoe = await network.member("Zoé", user_id=ZOE)
    anne = await network.animator()
    network.newcomer("Inconnu", user_id=STRANGER, started=True)
    await groups_for(network, [zoe, anne])
    loop = asyncio.get_running_loop()
    ran: list[int] = []

    spec = load_spec()

    async def one_example(batch: list[Any]) -> list[str]:
        seen, sent = len(logs.records), len(network.sandbox.requests)
        for action in batch:
            await act(network, action)
        await settle(network)
        problems = logs.problems(seen) + await database_problems(network, [STRANGER])
        if spec is not None:  # the sandbox fixture checks them all again at the end
            requests = network.sandbox.requests[sent:]
            problems += [
                f"{violation} <- {requests[int(violation.split('#')[1].split(':')[0])].params}"
                for violation in check_requests(spec, requests)
            ]
        return problems

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(actions, min_size=1, max_size=4))
    def example(batch: list[Any]) -> None:
        ran.append(1)
        problems = asyncio.run_coroutine_threadsafe(one_example(batch), loop).result(60)
        assert not problems, (batch, problems)

    with watching_logs() as logs:
        await asyncio.to_thread(example)
        witness = network.newcomer("Témoin", started=True)  # still served after everything
        await witness.send("bonjour")
        await witness.expect("Tapez /start pour vous inscrire")
        await network.sandbox.wait_idle()
        assert logs.problems() == []
    print(f"\n{len(ran)} generated examples ran")
    assert len(ran) >= min(FUZZ_EXAMPLES, 50)


async def test_a_second_press_on_the_same_button_is_quiet(network: Network) -> None:
    zoe = await network.member("Zoé")
    await zoe.send("/langue")
    choices = await zoe.expect("Dans quelle langue")
    with watching_logs() as logs:
        for _ in range(2):  # the second edit would change nothing: Telegram refuses it
            await zoe.tap("English", message_id=choices["message_id"])
        await network.sandbox.wait_idle()
    assert logs.problems() == []
    refused = [r.description for r in network.sandbox.requests if r.status != 200]
    assert refused == [
        "Bad Request: message is not modified: specified new message content "
        "and reply markup are exactly the same as a current content and reply "
        "markup of the message"
    ]
    assert "Sorry" not in "\n".join(zoe.transcript())  # no "something went wrong"


async def test_a_press_on_a_message_deleted_meanwhile_is_quiet(network: Network) -> None:
    zoe = await network.member("Zoé")
    await zoe.send("/langue")
    choices = await zoe.expect("Dans quelle langue")
    message = network.sandbox.world.chat(zoe.user_id).messages[choices["message_id"]]
    pressed = {
        "callback_query": hostile.callback(zoe.user_id, "lang:1:en", message=message.to_api())
    }
    message.deleted = True  # Zoé deleted it between her press and the bot's edit
    with watching_logs() as logs:
        network.sandbox.inject_update(pressed)
        await network.sandbox.wait_idle()
    assert logs.problems() == []
    assert (await network.services.members.get(zoe.user_id)).language == "en"  # still done
    assert [r.description for r in network.sandbox.requests if r.status != 200] == [
        "Bad Request: message to edit not found"
    ]


async def test_the_visio_backlog_button_sends_one_message(network: Network) -> None:
    """Found by the fuzz: the backlog went out one character per message."""
    zoe = await network.member("Zoé")
    await zoe.send("/visio")
    await zoe.expect("Visios mensuelles du réseau")
    before = len(network.sandbox.requests)
    await zoe.tap("📋 Sujets proposés")
    await zoe.expect("Aucun sujet en attente. Proposez le vôtre : /proposer")
    await network.sandbox.wait_idle()
    sent = [r for r in network.sandbox.requests[before:] if r.method == "sendMessage"]
    assert [r.params["text"] for r in sent] == [
        "Aucun sujet en attente. Proposez le vôtre : /proposer"
    ]
