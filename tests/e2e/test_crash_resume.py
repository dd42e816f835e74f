"""Crash everywhere, lose nothing: `kill -9` of `maillage run` in the middle of each feature.

Every run seeds its own database, starts the bot as a separate process against a sandbox
process, drives a member to the middle of a flow (a questionnaire half answered, a ballot
being ticked, an action plan being typed, a letter being written, onboarding half done),
kills the bot with SIGKILL at a kill point (see :mod:`tests.e2e.crash`), restarts it on the
same file and lets the member finish the way a person would. Each run then checks, from
the database and from the member's chat as the sandbox recorded it:

* lost: every answer the bot acknowledged before the kill is in the database right after
  it, and at the end every answer the member gave is stored, with its value, exactly once;
* doubled: no answer stored twice, no bot message reaching the member twice, no question
  asked twice, except the one on screen when the member resumes, which resuming may show
  once more (docs/crash-tests.md defines both per scenario).

``MAILLAGE_CRASH_RUNS=20 MAILLAGE_CRASH_REPORT=runs.jsonl .venv/bin/pytest
tests/e2e/test_crash_resume.py -q`` runs each scenario 20 times and writes one line per run;
``MAILLAGE_CRASH_SCENARIOS=codev,visio`` runs only those. docs/crash-tests.md records the
figures.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import FrozenClock, SystemClock
from bot.domain.codev.model import GroupDraft, GuideMode, MeetingMode
from bot.domain.diagnostic.model import CampaignRequest
from bot.domain.diagnostic.questionnaire import Question, QuestionKind
from bot.domain.members import Role
from bot.sandbox import SandboxClient, chatlog
from bot.services import Services
from tests.e2e import crash
from tests.e2e.crash import (
    REPO,
    BotProcess,
    KillPoint,
    Lane,
    PacedUser,
    SandboxProcess,
    Scenario,
    animator,
    answered,
    arrivals,
    bot_texts,
    doubled_messages,
    jobs,
    kill_around,
    member,
    next_user_id,
    query,
    record,
    rng_for,
    run_scenarios,
    seed,
    settle,
    until_db,
)

TIMEOUT = 20.0


sandboxes = crash.sandboxes  # the module's fixtures
bots = crash.bots


# -- (1) a diagnostic questionnaire half answered -------------------------------------------

DIAGNOSIS = "Diagnostic express du réseau"
KEPT = ("purpose_clear", "purpose_main", "offer_known", "time_available", "tools_used")
KEPT += ("tools_fit", "peer_contact", "ideas")


def _express_questionnaire(folder: Path) -> None:
    """The network's own questionnaire (``questionnaires/`` next to the database): eight
    questions of the shipped diagnosis, every kind (Likert, single, multiple, free text), so
    that a member paced like a person gets through it in seconds."""
    shipped = (REPO / "bot/questionnaires/network_diagnosis.toml").read_text(encoding="utf-8")
    head, *blocks = shipped.split("[[questions]]")
    kept = [b for b in blocks if re.search(r'^id = "(\w+)"', b, re.M).group(1) in KEPT]
    head = head.replace('id = "network_diagnosis"', 'id = "express"').replace(
        "Diagnostic du fonctionnement du réseau", DIAGNOSIS
    )
    (folder / "questionnaires").mkdir()
    text = head + "".join("[[questions]]" + b for b in kept)
    (folder / "questionnaires" / "express.toml").write_text(text, encoding="utf-8")


QUESTION = re.compile(r"Question (\d+)/(\d+)")
FREE_TEXT = "Plus de rencontres en présentiel."


def _option(position: int, count: int) -> int:
    """The option the member picks for the question at ``position`` (0-based)."""
    return (position * 3) % count


def _expected(question: Question, position: int) -> tuple[str | None, str | None]:
    """(choice, text) stored for the member's answer to ``question``."""
    if question.kind is QuestionKind.TEXT:
        return None, FREE_TEXT
    return json.dumps([question.options[_option(position, len(question.options))].id]), None


ANSWER_OF = (
    "SELECT 1 FROM diagnostic_answers a JOIN diagnostic_responses r ON r.id = a.response_id"
    " WHERE r.user_id = ? AND a.question_id = ?"
)


def _question_number(text: str) -> int | None:
    found = QUESTION.search(text)
    return int(found.group(1)) if found else None


async def _answer(user: PacedUser, question: Question, position: int) -> None:
    """Answer the question on screen (``position`` 0-based) the member's way; no waiting."""
    await user.sync()
    message = user.message_with_buttons()
    assert message is not None
    if question.kind is QuestionKind.TEXT:
        await user.send(FREE_TEXT)
        return
    options = [
        button
        for row in message["buttons"]
        for button in row
        if button.get("callback_data", "").startswith(("dq_ans:", "dq_tog:"))
    ]
    chosen = options[_option(position, len(options))]
    if question.kind is QuestionKind.MULTIPLE:
        await user.tap_data(chosen["callback_data"], message["message_id"])
        await user.expect("Votre réponse", timeout=TIMEOUT)
        await user.tap("✅ Valider")
        return
    await user.tap_data(chosen["callback_data"], message["message_id"])


async def _answered(db: Path, user_id: int) -> dict[str, tuple[str | None, str | None]]:
    rows = query(
        db,
        "SELECT a.question_id, a.choice, a.text FROM diagnostic_answers a"
        " JOIN diagnostic_responses r ON r.id = a.response_id WHERE r.user_id = ?",
        (user_id,),
    )
    return {question: (choice, text) for question, choice, text in rows}


async def _invited(lane: Lane, bot: BotProcess) -> tuple[PacedUser, tuple[Question, ...]]:
    """A member invited to an open campaign of the express questionnaire (seeded)."""

    async def build(services: Services) -> tuple[PacedUser, tuple[Question, ...]]:
        bruno = await member(lane.client, services, "Bruno")
        library = services.diagnostics.campaigns.library
        now = services.clock.now()
        await services.diagnostics.campaigns.create(
            CampaignRequest(
                "express", now, now + timedelta(days=7), False, members=(bruno.user_id,)
            )
        )
        questionnaire = library.get("express")
        assert questionnaire is not None
        return bruno, questionnaire.questions

    _express_questionnaire(bot.db_path.parent)
    return await seed(bot, build, SystemClock())


async def _diagnostic_run(lane: Lane, bot: BotProcess, run: int, point: KillPoint) -> None:
    rng = rng_for(point, run)
    bruno, questions = await _invited(lane, bot)
    n = len(questions)
    # The kill follows the answer to a Likert or single-choice question, k in 2..n-2.
    k = rng.choice(
        [i + 1 for i, q in enumerate(questions[1:-2], 1) if q.kind is not QuestionKind.MULTIPLE]
    )
    await bot.start()
    await bruno.expect(DIAGNOSIS, timeout=TIMEOUT)  # the invitation, through the engine
    await bruno.tap("✍️ Répondre")
    await bruno.expect("Question 1/", timeout=TIMEOUT)
    for position in range(k - 1):
        await _answer(bruno, questions[position], position)
        await bruno.expect(f"Question {position + 2}/{n}", timeout=TIMEOUT)

    async def stored_k() -> None:
        await until_db(bot.db_path, ANSWER_OF, (bruno.user_id, questions[k - 1].id), bool)

    await kill_around(
        bot,
        point,
        lambda: _answer(bruno, questions[k - 1], k - 1),
        committed=stored_k,
        replied=lambda: bruno.expect(f"Question {k + 1}/{n}", timeout=TIMEOUT),
        rng=rng,
    )
    await bruno.sync()
    acknowledged = k - 1 + (f"Question {k + 1}/{n}" in (bruno.last_message or {}).get("text", ""))
    at_kill = await _answered(bot.db_path, bruno.user_id)
    lost_at_kill = [q.id for q in questions[:acknowledged] if q.id not in at_kill]
    assert set(at_kill) <= {q.id for q in questions[:k]}  # nothing beyond what was answered

    await bot.restart()
    await settle(bruno)  # a press the killed bot never confirmed is handled now
    at_resume = await _answered(bot.db_path, bruno.user_id)
    assert set(at_resume) <= {q.id for q in questions[:k]}
    shown = [_question_number(text) for text in bot_texts(bruno._events(), ("message", "edit"))]
    on_screen = [number for number in shown if number is not None][-1]
    await bruno.send("/diagnostic")
    await bruno.expect("À vous de répondre", timeout=TIMEOUT)
    await bruno.tap("Reprendre")
    resumed = await bruno.expect("Question ", timeout=TIMEOUT)
    first = _question_number(resumed["text"])
    assert first == len(at_resume) + 1, "\n".join(bruno.transcript())
    for position in range(first - 1, n):
        await _answer(bruno, questions[position], position)
        await bruno.expect("Question " if position + 1 < n else "Merci !", timeout=TIMEOUT)

    final = await _answered(bot.db_path, bruno.user_id)
    expected = {q.id: _expected(q, i) for i, q in enumerate(questions)}
    lost = [q for q, answer in expected.items() if final.get(q) != answer]
    events = bruno._events()
    numbers = [
        number
        for number in (_question_number(t) for t in bot_texts(events, ("message", "edit")))
        if number is not None
    ]
    asked = Counter(arrivals(numbers))
    asked_again = {q: c - 1 for q, c in asked.items() if c > (2 if q == on_screen else 1)}
    doubled = doubled_messages(events, lambda text: _question_number(text) == on_screen)
    record(
        "diagnostic",
        point,
        len(lost_at_kill) + len(lost),
        len(doubled) + sum(asked_again.values()),
        k=k,
        acknowledged=acknowledged,
        stored_at_kill=len(at_kill),
        stored_at_resume=len(at_resume),
        on_screen=on_screen,
    )
    assert lost_at_kill == [] and lost == [] and set(final) == set(expected)
    assert asked_again == {} and doubled == []


def _ticks(message: dict[str, Any]) -> dict[int, tuple[bool, str]]:
    """A multiple-choice question on screen: option index -> (ticked, callback data)."""
    buttons = [b for row in message["buttons"] for b in row]
    options = [b for b in buttons if b.get("callback_data", "").startswith("dq_tog:")]
    return {i: (b["text"].startswith("☑"), b["callback_data"]) for i, b in enumerate(options)}


async def _ticked_on_screen(user: PacedUser, option: int) -> None:
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while not _ticks(user.message_with_buttons())[option][0]:
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, "\n".join(user.transcript())
        await user.wait(remaining)


async def _diagnostic_ticks_run(lane: Lane, bot: BotProcess, run: int, point: KillPoint) -> None:
    """A multiple choice being ticked: the member ticks two options, the bot is killed
    around the second tick; after the restart the member goes on with the question on
    screen, ticking what it shows unticked, then « Valider », and finishes."""
    rng = rng_for(point, run)
    bruno, questions = await _invited(lane, bot)
    n = len(questions)
    at = next(i for i, q in enumerate(questions) if q.kind is QuestionKind.MULTIPLE)
    question = questions[at]
    wanted = (0, 2)
    await bot.start()
    await bruno.expect(DIAGNOSIS, timeout=TIMEOUT)
    await bruno.tap("✍️ Répondre")
    await bruno.expect("Question 1/", timeout=TIMEOUT)
    for position in range(at):
        await _answer(bruno, questions[position], position)
        await bruno.expect(f"Question {position + 2}/{n}", timeout=TIMEOUT)
    await bruno.sync()
    await bruno.tap_data(_ticks(bruno.message_with_buttons())[wanted[0]][1])
    await _ticked_on_screen(bruno, wanted[0])
    second = question.options[wanted[1]].id

    async def stored_second() -> None:
        await until_db(bot.db_path, ANSWER_OF, (bruno.user_id, question.id), bool, seconds=TIMEOUT)
        await until_db(
            bot.db_path,
            ANSWER_OF.replace("SELECT 1", "SELECT a.choice"),
            (bruno.user_id, question.id),
            lambda rows: second in json.loads(rows[0][0]),
        )

    await kill_around(
        bot,
        point,
        lambda: bruno.tap_data(_ticks(bruno.message_with_buttons())[wanted[1]][1]),
        committed=stored_second,
        replied=lambda: _ticked_on_screen(bruno, wanted[1]),
        rng=rng,
    )
    await bruno.sync()
    shown_ticked = {i for i, (ticked, _) in _ticks(bruno.message_with_buttons()).items() if ticked}
    at_kill = await _answered(bot.db_path, bruno.user_id)
    stored = set(json.loads(at_kill[question.id][0])) if question.id in at_kill else set()
    lost_at_kill = [i for i in shown_ticked if question.options[i].id not in stored]

    await bot.restart()
    await settle(bruno)
    for option in wanted:  # the member ticks what the question on screen shows unticked
        ticked, data = _ticks(bruno.message_with_buttons())[option]
        if not ticked:
            await bruno.tap_data(data)
            await _ticked_on_screen(bruno, option)
    await bruno.tap("✅ Valider")
    await bruno.expect(f"Question {at + 2}/{n}", timeout=TIMEOUT)
    for position in range(at + 1, n):
        await _answer(bruno, questions[position], position)
        await bruno.expect("Question " if position + 1 < n else "Merci !", timeout=TIMEOUT)
    final = await _answered(bot.db_path, bruno.user_id)
    expected = {q.id: _expected(q, i) for i, q in enumerate(questions)}
    expected[question.id] = (json.dumps([question.options[i].id for i in wanted]), None)
    lost = [q for q, answer in expected.items() if final.get(q) != answer]
    numbers = [
        number
        for number in (_question_number(t) for t in bot_texts(bruno._events(), ("message", "edit")))
        if number is not None
    ]
    asked_again = {q: c - 1 for q, c in Counter(arrivals(numbers)).items() if c > 1}
    doubled = doubled_messages(bruno._events())
    record(
        "diagnostic ticks",
        point,
        len(lost_at_kill) + len(lost),
        len(doubled) + sum(asked_again.values()),
        stored_at_kill=sorted(stored),
        shown_ticked=sorted(shown_ticked),
    )
    assert (lost_at_kill, lost, asked_again, doubled) == ([], [], {}, [])


# -- (2) a visio ballot being ticked ---------------------------------------------------------

PARIS = ZoneInfo("Europe/Paris")
TOPICS = ("Accueil des usagers", "Démarches en ligne", "Inclusion numérique", "Mobilité")


async def _open_vote(services: Services, proposer: int) -> None:
    """A weekly slot whose session is in 3 days, its vote open since 2 days (through the
    bot's start-up catch-up): planned 4 days ago on a frozen clock, topics proposed then."""
    now = services.clock.now()
    assert isinstance(services.clock, FrozenClock)
    starts = datetime.combine(now.astimezone(PARIS).date() + timedelta(days=3), time(14, 0))
    services.clock.set(now - timedelta(days=4))
    cycle = services.visio.cycle
    await cycle.set_windows("6 5 1")  # proposals 6 days before, vote from 5 to 1 day before
    byday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[starts.weekday()]
    await cycle.set_slot(f"FREQ=WEEKLY;BYDAY={byday}", time(14, 0), 60)
    for title in TOPICS:
        await services.visio.topics.propose(proposer, title)
    services.clock.set(now)


def _ballot(user: PacedUser) -> dict[str, str]:
    """The ballot on screen: each topic's button label, by title."""
    message = next(
        m for m in reversed(list(user.messages().values())) if "Vote : visio" in m["text"]
    )
    return {label[2:]: label for row in chatlog.labels(message) for label in row}


async def _tick(user: PacedUser, title: str) -> None:
    """Press the topic's button on the ballot on screen (no waiting)."""
    await user.sync()
    await user.tap(_ballot(user)[title])


async def _shown_ticked(user: PacedUser, title: str) -> None:
    """Wait until the ballot on screen shows ``title`` ticked."""
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while not _ballot(user)[title].startswith("☑"):
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, "\n".join(user.transcript())
        await user.wait(remaining)


async def _visio_run(lane: Lane, bot: BotProcess, run: int, point: KillPoint) -> None:
    client = lane.client
    rng = rng_for(point, run)

    async def build(services: Services) -> PacedUser:
        bruno = await member(client, services, "Bruno")
        await _open_vote(services, bruno.user_id)
        return bruno

    bruno = await seed(bot, build, FrozenClock(SystemClock().now()))
    wanted = TOPICS[:3]
    await bot.start()
    await bruno.expect("Vote : visio", timeout=TIMEOUT)
    await _tick(bruno, wanted[0])
    await _shown_ticked(bruno, wanted[0])

    async def ticked_second() -> None:
        await until_db(
            bot.db_path,
            "SELECT 1 FROM visio_votes v JOIN visio_topics t ON t.id = v.topic_id"
            " WHERE v.user_id = ? AND t.title = ?",
            (bruno.user_id, wanted[1]),
            bool,
        )

    await kill_around(
        bot,
        point,
        lambda: _tick(bruno, wanted[1]),
        committed=ticked_second,
        replied=lambda: _shown_ticked(bruno, wanted[1]),
        rng=rng,
    )
    await bruno.sync()
    on_screen = _ballot(bruno)
    votes_sql = (
        "SELECT t.title FROM visio_votes v JOIN visio_topics t ON t.id = v.topic_id"
        " WHERE v.user_id = ?"
    )
    at_kill = {title for (title,) in query(bot.db_path, votes_sql, (bruno.user_id,))}
    shown_ticked = {title for title, label in on_screen.items() if label.startswith("☑")}
    lost_at_kill = shown_ticked - at_kill

    await bot.restart()
    await settle(bruno)
    # The member looks at the ballot on screen and ticks what they want and do not see ticked.
    await bruno.sync()
    for title in wanted:
        if _ballot(bruno)[title].startswith("☐"):
            await _tick(bruno, title)
            await _shown_ticked(bruno, title)
    final_ballot = bruno.last_message
    rows = query(bot.db_path, votes_sql, (bruno.user_id,))
    final = Counter(title for (title,) in rows)
    lost = [title for title in wanted if final[title] == 0]
    extra = [title for title in final if title not in wanted or final[title] > 1]
    events = bruno._events()
    doubled = doubled_messages(events)
    ballots = [t for t in bot_texts(events) if "Vote : visio" in t]
    record(
        "visio",
        point,
        len(lost_at_kill) + len(lost),
        len(doubled) + len(ballots) - 1,
        stored_at_kill=sorted(at_kill),
        on_screen_ticked=sorted(shown_ticked),
        final=sorted(final),
    )
    assert (sorted(lost_at_kill), lost, extra) == ([], [], [])
    assert "Votre bulletin : 3 sujets cochés." in final_ballot["text"]
    assert doubled == [] and len(ballots) == 1


# -- (3) a codev action plan being typed ------------------------------------------------------

GROUP = GroupDraft(
    name="Directeurs de projet",
    theme="Conduite du changement",
    size_limit=4,
    mode=MeetingMode.VIDEO,
    detail="https://visio.example.org/dp",
    charter="Ce qui se dit dans le groupe reste dans le groupe.",
)
ACTIONS = (
    "Réunir l’équipe <projet>",
    "Former deux agents",
    "Écrire la procédure d’accueil",
    "Faire le bilan avec la direction",
)
PROMPT = re.compile(r"Action (\d+) :")
DUE_FOR = re.compile(r"Pour quand : « (.+) » \?")
NOTED = re.compile(r"Noté : « (.+) », pour le")


def _days(today: date) -> list[str]:
    """The day typed for each action (in the future, one month apart)."""
    return [(today + timedelta(days=30 * (i + 1))).strftime("%d/%m/%Y") for i in range(4)]


async def _session_at_synthesis(services: Services, client: SandboxClient) -> PacedUser:
    """Ana's session guided in private chats, at step 5 (synthesis and action plan)."""
    clock = services.clock
    assert isinstance(clock, FrozenClock)
    fanny = await member(client, services, "Fanny")
    await services.members.force_role(fanny.user_id, Role.FACILITATOR)
    ana, ben = [await member(client, services, name) for name in ("Ana", "Ben")]
    groups, sessions = services.codev.groups, services.codev.sessions
    group = await groups.create(fanny.user_id, GROUP)
    code, _, _ = await groups.new_invite(fanny.user_id, group.id)
    for person in (ana, ben):
        await groups.use_code(person.user_id, code)
        await groups.accept_charter(person.user_id, group.id)
    session = await sessions.request(ana.user_id, group.id, "Mon équipe refuse le nouvel outil.")
    starts = clock.now() + timedelta(minutes=1)
    await sessions.schedule(fanny.user_id, session.id, starts, "https://visio.example.org/s1")
    clock.set(starts)
    await sessions.start_guide(fanny.user_id, session.id, GuideMode.PRIVATE)
    for step in range(1, 5):
        await sessions.next_step(fanny.user_id, session.id, step)
    return ana


def _last_bot_text(user: PacedUser) -> str:
    return bot_texts(user._events())[-1]


async def _plan_on(user: PacedUser, days: list[str]) -> None:
    """Answer what the bot asks last until the plan of the four actions is recorded.

    The member reads the last message: an action's number asks its text, « Pour quand » its
    day, « C’est tout » ends the plan after four; a « Noté » left alone (the question after
    it lost in the kill) makes them go on with their next action.
    """
    current = None
    quiet = False
    while True:
        await user.sync()
        text = _last_bot_text(user)
        seen = len(user._events())
        if "est enregistré" in text:
            return
        if (due := DUE_FOR.search(text)) is not None:
            current = ACTIONS.index(due.group(1))
            await user.send(days[current])
        elif "Pour quel jour" in text:
            assert current is not None
            await user.send(days[current])
        elif (prompt := PROMPT.search(text)) is not None:
            number = int(prompt.group(1))
            if number > len(ACTIONS):
                await user.tap("C’est tout")
            else:
                current = number - 1
                await user.send(ACTIONS[current])
        elif (noted := NOTED.search(text)) is not None and quiet:
            current = ACTIONS.index(noted.group(1)) + 1
            await user.send(ACTIONS[current])
        else:  # more may be coming (the question after « Noté », after a refusal)
            quiet = not await user.wait(1.5)
            continue
        quiet = False
        while len(user._events()) == seen or user._events()[-1]["side"] != "bot":
            assert await user.wait(TIMEOUT), "\n".join(user.transcript())
        await asyncio.sleep(0.05)  # the second message of a pair


async def _codev_run(lane: Lane, bot: BotProcess, run: int, point: KillPoint) -> None:
    client = lane.client
    rng = rng_for(point, run)
    ana = await seed(
        bot, lambda s: _session_at_synthesis(s, client), FrozenClock(SystemClock().now())
    )
    days = _days(datetime.now(PARIS).date())
    await bot.start()
    await ana.send("/codev")
    await ana.expect("Codéveloppement", timeout=TIMEOUT)
    await ana.tap("Directeurs de projet")
    await ana.expect("Membres (", timeout=TIMEOUT)
    await ana.tap("▶️ En cours")
    await ana.expect("Séance de codéveloppement", timeout=TIMEOUT)
    await ana.tap("📝 Noter mon plan d’action")
    for i in range(2):
        await ana.expect(f"Action {i + 1} :", timeout=TIMEOUT)
        await ana.send(ACTIONS[i])
        await ana.expect("Pour quand", timeout=TIMEOUT)
        await ana.send(days[i])
    await ana.expect("Action 3 :", timeout=TIMEOUT)
    actions_sql = (
        "SELECT a.position, a.text, a.due_on FROM codev_actions a"
        " JOIN codev_sessions s ON s.id = a.session_id WHERE s.client_id = ? ORDER BY a.position"
    )
    target = rng.choice(["text", "day"])
    if target == "text":
        send, reply = ACTIONS[2], f"Pour quand : « {ACTIONS[2]}"

        def committed(rows: list[tuple[Any, ...]]) -> bool:
            return any(text == ACTIONS[2] for _, text, _ in rows)
    else:
        await ana.send(ACTIONS[2])
        await ana.expect("Pour quand", timeout=TIMEOUT)
        send, reply = days[2], "Action 4 :"

        def committed(rows: list[tuple[Any, ...]]) -> bool:
            return any(text == ACTIONS[2] and due for _, text, due in rows)

    await kill_around(
        bot,
        point,
        lambda: ana.send(send),
        committed=lambda: until_db(bot.db_path, actions_sql, (ana.user_id,), committed),
        replied=lambda: ana.expect(reply, timeout=TIMEOUT),
        rng=rng,
    )
    await ana.sync()
    on_screen = _last_bot_text(ana)
    at_kill = query(bot.db_path, actions_sql, (ana.user_id,))
    lost_at_kill = [a for a in ACTIONS[:2] if a not in [text for _, text, _ in at_kill]]

    await bot.restart()
    await settle(ana)
    await _plan_on(ana, days)
    final = query(bot.db_path, actions_sql, (ana.user_id,))
    expected = [
        (i + 1, text, datetime.strptime(day, "%d/%m/%Y").date().isoformat())
        for i, (text, day) in enumerate(zip(ACTIONS, days, strict=True))
    ]
    lost = [row for row in expected if row not in final]
    extra = [row for row in final if row not in expected]
    events = ana._events()
    doubled = doubled_messages(events, lambda text: text == on_screen)
    record(
        "codev",
        point,
        len(lost_at_kill) + len(lost),
        len(doubled) + len(extra),
        target=target,
        at_kill=len(at_kill),
        on_screen=on_screen[:40],
        extra=extra,
        doubled_texts=[text[:40] for text in doubled],
    )
    assert (lost_at_kill, lost, extra) == ([], [], [])
    assert doubled == []


# -- (4) a newsletter draft being typed ------------------------------------------------------

PARAGRAPHS = (
    "Bonjour à toutes et à tous,",
    "La visio de décembre parlera de l’accueil des usagers.",
    "Bonnes fêtes de fin d’année !",
)
LETTER = "La lettre du réseau"


async def _newsletter_run(lane: Lane, bot: BotProcess, run: int, point: KillPoint) -> None:
    client = lane.client
    rng = rng_for(point, run)

    async def build(services: Services) -> tuple[PacedUser, list[PacedUser]]:
        anne = await animator(client, bot, services)
        members = [await member(client, services, name) for name in ("Chloé", "Dan", "Emma")]
        return anne, members

    anne, members = await seed(bot, build)
    draft_sql = "SELECT body FROM newsletter_drafts WHERE user_id = ? AND kind = 'newsletter'"
    await bot.start()
    await anne.send("/lettre")
    await anne.expect("Écrivez", timeout=TIMEOUT)
    await anne.send(PARAGRAPHS[0])
    await anne.expect("Ajouté au brouillon", timeout=TIMEOUT)
    await kill_around(
        bot,
        point,
        lambda: anne.send(PARAGRAPHS[1]),
        committed=lambda: until_db(
            bot.db_path, draft_sql, (anne.user_id,), lambda r: r and PARAGRAPHS[1] in r[0][0]
        ),
        replied=lambda: anne.expect("Ajouté au brouillon", timeout=TIMEOUT),
        rng=rng,
    )
    await anne.sync()
    added = [t for t in bot_texts(anne._events()) if "Ajouté au brouillon" in t]
    acknowledged = PARAGRAPHS[: len(added)]
    ((body_at_kill,),) = query(bot.db_path, draft_sql, (anne.user_id,))
    lost_at_kill = [p for p in acknowledged if p not in body_at_kill]

    await bot.restart()
    await settle(anne)
    # The animator comes back to the letter, looks at the preview, types what is missing.
    await anne.send("/lettre")
    await anne.expect("Un brouillon est en cours", timeout=TIMEOUT)
    await anne.tap("Aperçu")
    preview = await anne.expect(LETTER, timeout=TIMEOUT)
    await anne.expect("Aperçu ci-dessus", timeout=TIMEOUT)
    missing = [p for p in PARAGRAPHS if p not in preview["text"]]
    assert missing in (list(PARAGRAPHS[1:]), list(PARAGRAPHS[2:]))  # the rest is there
    await anne.tap("Ajouter du texte")
    await anne.expect("Un brouillon est en cours", timeout=TIMEOUT)
    for paragraph in missing:
        await anne.send(paragraph)
        await anne.expect("Ajouté au brouillon", timeout=TIMEOUT)
    ((body,),) = query(bot.db_path, draft_sql, (anne.user_id,))
    await anne.tap("Aperçu")
    preview = await anne.expect(LETTER, timeout=TIMEOUT)
    panel = await anne.expect("Aperçu ci-dessus", timeout=TIMEOUT)
    await anne.tap("Envoyer maintenant", message_id=panel["message_id"])
    confirm = await anne.expect("maintenant à", timeout=TIMEOUT)
    await anne.tap("Oui, envoyer à 4 membre", message_id=confirm["message_id"])
    await anne.expect("C’est parti", timeout=TIMEOUT)
    await anne.expect("Rapport d’envoi", timeout=TIMEOUT)
    for person in members:
        await person.expect(LETTER, timeout=TIMEOUT)
    await settle(members[-1], 0.5)
    received = []
    for person in members:
        await person.sync()
        received.append([t for t in bot_texts(person._events()) if LETTER in t])
    lost = [p for p in PARAGRAPHS if body.count(p) != 1 or preview["text"].count(p) != 1]
    lost += [p for letters in received for p in PARAGRAPHS if letters and p not in letters[0]]
    # The animator asks for the intro and the preview twice; each typed paragraph is
    # acknowledged once, and each member gets the letter once.
    acks = [t for t in bot_texts(anne._events()) if "Ajouté au brouillon" in t]
    doubled = acks[len(PARAGRAPHS) :] + [text for letters in received for text in letters[1:]]
    record(
        "newsletter",
        point,
        len(lost_at_kill) + len(lost),
        len(doubled),
        in_draft_at_kill=sum(p in body_at_kill for p in PARAGRAPHS),
        retyped=len(missing) - 1,
    )
    assert (lost_at_kill, lost, doubled) == ([], [], [])
    assert [len(letters) for letters in received] == [1, 1, 1]


# -- (5) onboarding half done ------------------------------------------------------------------

QUESTIONS = (
    "Quel nom",
    "Quelle est votre organisation",
    "Sur quel territoire",
    "Quelle est votre fonction",
)
FIELDS = ("display_name", "organisation", "territory", "function")
PROFILE = ("Chloé Durand", "France Services de Crest", "Drôme", "Agente d'accueil")


def _asked(text: str) -> int | None:
    """Which profile question a bot message asks (index), if any."""
    return next((i for i, q in enumerate(QUESTIONS) if q in text), None)


async def _onboarding_run(lane: Lane, bot: BotProcess, run: int, point: KillPoint) -> None:
    rng = rng_for(point, run)
    chloe = await lane.client.add_user(next_user_id(), "Chloé")
    chloe = PacedUser(lane.client, chloe.user_id, "Chloé")
    await seed(bot, lambda services: asyncio.sleep(0))  # an empty network, migrated
    profile_sql = f"SELECT {', '.join(FIELDS)}, registered_at FROM members WHERE user_id = ?"
    j = rng.randrange(1, len(QUESTIONS))  # the answer at the kill: organisation or later
    await bot.start()
    await chloe.send("/start")
    await chloe.expect("Acceptez-vous ces conditions", timeout=TIMEOUT)
    await chloe.tap("✅ J’accepte")
    for i in range(j):
        await chloe.expect(QUESTIONS[i], timeout=TIMEOUT)
        await chloe.send(PROFILE[i])
    await chloe.expect(QUESTIONS[j], timeout=TIMEOUT)
    await kill_around(
        bot,
        point,
        lambda: chloe.send(PROFILE[j]),
        committed=lambda: until_db(
            bot.db_path, profile_sql, (chloe.user_id,), lambda r: r[0][j] == PROFILE[j]
        ),
        replied=lambda: chloe.expect(
            QUESTIONS[j + 1] if j + 1 < len(QUESTIONS) else "Votre profil", timeout=TIMEOUT
        ),
        rng=rng,
    )
    await chloe.sync()
    acknowledged = j + any(
        (_asked(t) == j + 1) or "Votre profil" in t for t in bot_texts(chloe._events())[-1:]
    )
    ((*at_kill, _),) = query(bot.db_path, profile_sql, (chloe.user_id,))
    lost_at_kill = [FIELDS[i] for i in range(acknowledged) if at_kill[i] != PROFILE[i]]

    await bot.restart()
    await settle(chloe)
    on_screen = _asked(bot_texts(chloe._events())[-1])
    seen = len(chloe._events())
    await chloe.send("/start")  # onboarding resumes from the database
    await answered(chloe, seen)
    while "Votre profil" not in (text := bot_texts(chloe._events())[-1]):
        asked = _asked(text)
        assert asked is not None, "\n".join(chloe.transcript())
        seen = len(chloe._events())
        await chloe.send(PROFILE[asked])
        await answered(chloe, seen)
    await chloe.tap("✅ C’est bon")
    await chloe.expect("Bienvenue dans le réseau", timeout=TIMEOUT)
    ((*final, registered),) = query(bot.db_path, profile_sql, (chloe.user_id,))
    lost = [FIELDS[i] for i in range(len(FIELDS)) if final[i] != PROFILE[i]]
    texts = bot_texts(chloe._events())
    asked_counts = Counter(i for i in map(_asked, texts) if i is not None)
    asked_again = {i: c for i, c in asked_counts.items() if c > (2 if i == on_screen else 1)}
    doubled = doubled_messages(chloe._events(), lambda t: _asked(t) == on_screen)
    record(
        "onboarding",
        point,
        len(lost_at_kill) + len(lost) + (registered is None),
        len(doubled) + sum(c - 1 for c in asked_again.values()),
        answer=FIELDS[j],
        acknowledged=acknowledged,
    )
    assert (lost_at_kill, lost, registered is not None) == ([], [], True), (
        final,
        "\n".join(chloe.transcript()),
    )
    assert (asked_again, doubled) == ({}, [])


# -- every scenario, every run, at once ---------------------------------------------------------

SCENARIOS: dict[str, Scenario] = {
    "diagnostic": _diagnostic_run,
    "diagnostic_ticks": _diagnostic_ticks_run,
    "visio": _visio_run,
    "codev": _codev_run,
    "newsletter": _newsletter_run,
    "onboarding": _onboarding_run,
}
JOBS = jobs(SCENARIOS)


async def test_kill_9_in_the_middle_of_every_feature_loses_and_doubles_nothing(
    sandboxes: list[SandboxProcess], bots: Callable[[str, Lane], BotProcess]
) -> None:
    """Each scenario ``MAILLAGE_CRASH_RUNS`` times (``MAILLAGE_CRASH_SCENARIOS`` to choose),
    all going at once, one sandbox process per run going."""
    await run_scenarios(sandboxes, bots, SCENARIOS, JOBS)
