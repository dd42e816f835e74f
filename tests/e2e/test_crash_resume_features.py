"""Crash everywhere, lose nothing, for the newer features: `kill -9` of `maillage run`.

Same method as :mod:`tests.e2e.test_crash_resume` (harness :mod:`tests.e2e.crash`, figures
and definitions in docs/crash-tests.md): each run seeds its own database, starts the bot
as a separate process, drives a member to the middle of a flow, kills the bot with SIGKILL
at a kill point, restarts it on the same file and lets the member finish the way a person
would; then it counts what was lost and what was doubled, from the database and from the
member's chat. ``MAILLAGE_CRASH_RUNS`` and ``MAILLAGE_CRASH_SCENARIOS`` apply here too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from bot.services import Services
from tests.e2e import crash
from tests.e2e.crash import (
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


# -- (1) a project being proposed ------------------------------------------------------------

PROJECT_FIELDS = ("title", "problem", "audience", "needs")
PROJECT = (
    "Accueil numérique partagé",
    "Les usagers ne trouvent pas l’aide en ligne",
    "Les usagers des Maisons France Services, associés dès le départ",
    "Deux agents volontaires et une salle",
)
PROJECT_QUESTIONS = (
    "Quel est le titre de votre projet",
    "Quel problème veut-il résoudre",
    "Pour qui ?",
    "De quoi avez-vous besoin",
)
PROPOSED = "est proposé"
PROJECTS_SQL = (
    "SELECT title, problem, audience, needs, status FROM projects WHERE holder_id = ? ORDER BY id"
)


def _project_question(text: str) -> int | None:
    """Which question of the proposal a bot message asks (index), if any."""
    return next((i for i, q in enumerate(PROJECT_QUESTIONS) if q in text), None)


def _next_of_project(k: int) -> str:
    return PROJECT_QUESTIONS[k + 1] if k + 1 < len(PROJECT_QUESTIONS) else PROPOSED


async def _projects_run(lane: Lane, bot: BotProcess, run: int, point: KillPoint) -> None:
    """A member proposes a project, one typed answer per message; the bot is killed around
    the answer ``k`` (title to needs); after the restart the member answers what the screen
    asks until the project is proposed."""
    rng = rng_for(point, run)
    bruno = await seed(bot, lambda services: member(lane.client, services, "Bruno"))
    k = rng.randrange(len(PROJECT_FIELDS))
    await bot.start()
    await bruno.send("/projets")
    await bruno.expect("Projets stratégiques du réseau", timeout=TIMEOUT)
    await bruno.tap("💡 Proposer un projet")
    await bruno.expect(PROJECT_QUESTIONS[0], timeout=TIMEOUT)
    for i in range(k):
        await bruno.send(PROJECT[i])
        await bruno.expect(_next_of_project(i), timeout=TIMEOUT)

    def stored(rows: list[tuple[str, ...]]) -> bool:
        return bool(rows) and rows[-1][k] == PROJECT[k]

    await kill_around(
        bot,
        point,
        lambda: bruno.send(PROJECT[k]),
        committed=lambda: until_db(bot.db_path, PROJECTS_SQL, (bruno.user_id,), stored),
        replied=lambda: bruno.expect(_next_of_project(k), timeout=TIMEOUT),
        rng=rng,
    )
    await bruno.sync()
    last = bot_texts(bruno._events())[-1]
    acknowledged = k + (_next_of_project(k) in last)
    at_kill = query(bot.db_path, PROJECTS_SQL, (bruno.user_id,))
    lost_at_kill = [
        PROJECT_FIELDS[i]
        for i in range(acknowledged)
        if not at_kill or at_kill[-1][i] != PROJECT[i]
    ]

    await bot.restart()
    await settle(bruno)
    on_screen = _project_question(bot_texts(bruno._events())[-1])
    await _propose_on(bruno)
    final = query(bot.db_path, PROJECTS_SQL, (bruno.user_id,))
    lost = [f for i, f in enumerate(PROJECT_FIELDS) if not final or final[-1][i] != PROJECT[i]]
    events = bruno._events()
    shown = [_project_question(t) for t in bot_texts(events)]
    asked = Counter(arrivals([q for q in shown if q is not None]))
    asked_again = {q: c - 1 for q, c in asked.items() if c > (2 if q == on_screen else 1)}
    doubled = doubled_messages(events, lambda text: _project_question(text) == on_screen)
    record(
        "projects",
        point,
        len(lost_at_kill) + len(lost),
        len(doubled) + sum(asked_again.values()) + max(0, len(final) - 1),
        field=PROJECT_FIELDS[k],
        acknowledged=acknowledged,
        projects=len(final),
        on_screen=on_screen,
    )
    assert (lost_at_kill, lost) == ([], []), "\n".join(bruno.transcript())
    assert [row[4] for row in final] == ["active"], final
    assert (asked_again, doubled) == ({}, []), "\n".join(bruno.transcript())


async def _propose_on(user: PacedUser) -> None:
    """Answer the question of the proposal on screen until the project is proposed."""
    for _ in range(2 * len(PROJECT_FIELDS)):
        text = bot_texts(user._events())[-1]
        if PROPOSED in text:
            return
        asked = _project_question(text)
        assert asked is not None, "\n".join(user.transcript())
        seen = len(user._events())
        await user.send(PROJECT[asked])
        await answered(user, seen)
    raise AssertionError("\n".join(user.transcript()))


# -- (2) an animator answering a member's question -------------------------------------------

ASKED = "Comment obtenir le kit de communication du réseau ?"
ANSWER = "Il est dans l’espace partagé, dossier Communication."
ANSWER_PROMPT = "Écrivez votre réponse"
ANSWER_SENT = "Réponse envoyée au membre"
TO_MEMBER = "Réponse de l’équipe d’animation"
QUESTIONS_SQL = "SELECT status, answer, answered_by FROM faq_questions WHERE user_id = ?"


async def _faq_run(lane: Lane, bot: BotProcess, run: int, point: KillPoint) -> None:
    """A member asks through /faq; the animator taps « Répondre » under the question and types
    the answer; the bot is killed around that message; after the restart the animator types
    it again if the screen still asks for it. The member must get the answer exactly once:
    the copy is a send of the delivery engine keyed by the question, so the retyped answer
    finds the send created before."""
    rng = rng_for(point, run)

    async def build(services: Services) -> tuple[PacedUser, PacedUser]:
        return await animator(lane.client, bot, services), await member(
            lane.client, services, "Chloé"
        )

    anne, chloe = await seed(bot, build)
    await bot.start()
    await chloe.send("/faq")
    await chloe.expect("Questions fréquentes du réseau", timeout=TIMEOUT)
    await chloe.tap("✉️ Poser une question")
    await chloe.expect("Écrivez votre question", timeout=TIMEOUT)
    await chloe.send(ASKED)
    await chloe.expect("Votre question a été transmise", timeout=TIMEOUT)
    await anne.expect("Question d’un membre", timeout=TIMEOUT)
    await anne.tap("✍️ Répondre")
    await anne.expect(ANSWER_PROMPT, timeout=TIMEOUT)

    def stored(rows: list[tuple[str, ...]]) -> bool:
        return bool(rows) and rows[0][0] == "answered"

    await kill_around(
        bot,
        point,
        lambda: anne.send(ANSWER),
        committed=lambda: until_db(bot.db_path, QUESTIONS_SQL, (chloe.user_id,), stored),
        replied=lambda: anne.expect(ANSWER_SENT, timeout=TIMEOUT),
        rng=rng,
    )
    await anne.sync()
    acknowledged = ANSWER_SENT in bot_texts(anne._events())[-1]
    at_kill = query(bot.db_path, QUESTIONS_SQL, (chloe.user_id,))
    lost_at_kill = int(acknowledged and not stored(at_kill))

    await bot.restart()
    await settle(anne)
    on_screen = bot_texts(anne._events())[-1]
    for _ in range(3):  # the animator types the answer again while the screen asks for it
        if ANSWER_PROMPT not in bot_texts(anne._events())[-1]:
            break
        seen = len(anne._events())
        await anne.send(ANSWER)
        await answered(anne, seen)
    await settle(chloe)
    final = query(bot.db_path, QUESTIONS_SQL, (chloe.user_id,))
    received = [t for t in bot_texts(chloe._events()) if TO_MEMBER in t]
    lost = int(final != [("answered", ANSWER, anne.user_id)]) + int(
        not received or ANSWER not in received[0]
    )
    sent = [t for t in bot_texts(anne._events()) if ANSWER_SENT in t]
    doubled = [t for t in doubled_messages(chloe._events()) if TO_MEMBER not in t]
    doubled += doubled_messages(anne._events(), lambda text: text == on_screen)
    record(
        "faq",
        point,
        lost_at_kill + lost,
        len(doubled) + len(received) - 1 + max(0, len(sent) - 1),
        acknowledged=acknowledged,
        stored_at_kill=stored(at_kill),
        received=len(received),
        animator_last=bot_texts(anne._events())[-1][:60],
    )
    transcripts = "\n".join([*anne.transcript(), "---", *chloe.transcript()])
    assert (lost_at_kill, lost) == (0, 0), transcripts
    assert (len(received), doubled, len(sent)) == (1, [], 1), transcripts


# -- (3) a member editing their directory card field by field --------------------------------

CARD_EDITS = {
    "structure": ("✏️ Structure", "Quelle est votre structure", "France Services de Crest"),
    "role": ("✏️ Fonction", "Quelle est votre fonction", "Conseillère numérique"),
    "skills": ("✏️ Compétences", "Vos compétences", "Démarches CAF et ANTS"),
}
CARD = "Votre fiche, telle que les membres la voient"
CARD_SQL = "SELECT structure, role, skills FROM directory_cards WHERE user_id = ?"


def _card_question(text: str) -> str | None:
    """Which field a bot message asks for, if any."""
    return next((f for f, (_, asked, _) in CARD_EDITS.items() if asked in text), None)


async def _edit_card(user: PacedUser, field: str) -> None:
    """Tap ✏️ on the card on screen for ``field``, then type its value (no waiting)."""
    button, asked, value = CARD_EDITS[field]
    await user.tap(button)
    await user.expect(asked, timeout=TIMEOUT)
    await user.send(value)


async def _directory_run(lane: Lane, bot: BotProcess, run: int, point: KillPoint) -> None:
    """A member edits three lines of their card, one typed value each; the bot is killed
    around the value ``k``; after the restart the member types the value the screen asks
    for, or edits on the card on screen the lines it does not show yet."""
    rng = rng_for(point, run)
    dora = await seed(bot, lambda services: member(lane.client, services, "Dora"))
    fields = list(CARD_EDITS)
    k = rng.randrange(len(fields))
    await bot.start()
    await dora.send("/annuaire")
    await dora.expect("Annuaire du réseau", timeout=TIMEOUT)
    await dora.tap("🪪 Ma fiche")
    await dora.expect("Voulez-vous publier votre fiche ?", timeout=TIMEOUT)
    await dora.tap("✅ Oui, publier ma fiche")
    await dora.expect(CARD, timeout=TIMEOUT)
    for field in fields[:k]:
        await _edit_card(dora, field)
        await dora.expect(CARD_EDITS[field][2], timeout=TIMEOUT)
    button, asked, value = CARD_EDITS[fields[k]]
    await dora.tap(button)
    await dora.expect(asked, timeout=TIMEOUT)

    await kill_around(
        bot,
        point,
        lambda: dora.send(value),
        committed=lambda: until_db(
            bot.db_path, CARD_SQL, (dora.user_id,), lambda rows: rows[0][k] == value
        ),
        replied=lambda: dora.expect(value, timeout=TIMEOUT),
        rng=rng,
    )
    await dora.sync()
    acknowledged = k + (value in bot_texts(dora._events())[-1])
    ((*at_kill,),) = query(bot.db_path, CARD_SQL, (dora.user_id,))
    expected = [CARD_EDITS[f][2] for f in fields]
    lost_at_kill = [f for i, f in enumerate(fields[:acknowledged]) if at_kill[i] != expected[i]]

    await bot.restart()
    await settle(dora)
    on_screen = bot_texts(dora._events())[-1]
    await _card_on(dora)
    ((*final,),) = query(bot.db_path, CARD_SQL, (dora.user_id,))
    lost = [f for i, f in enumerate(fields) if final[i] != expected[i]]
    events = dora._events()
    asked_fields = [_card_question(t) for t in bot_texts(events)]
    asked_count = Counter(arrivals([f for f in asked_fields if f is not None]))
    again = _card_question(on_screen)
    asked_again = {f: c - 1 for f, c in asked_count.items() if c > (2 if f == again else 1)}
    doubled = doubled_messages(events, lambda text: text == on_screen)
    record(
        "directory",
        point,
        len(lost_at_kill) + len(lost),
        len(doubled) + sum(asked_again.values()),
        field=fields[k],
        acknowledged=acknowledged,
        on_screen=again or on_screen[:30],
    )
    assert (lost_at_kill, lost) == ([], []), "\n".join(dora.transcript())
    assert (asked_again, doubled) == ({}, []), "\n".join(dora.transcript())


async def _card_on(user: PacedUser) -> None:
    """Type the value asked on screen, or edit the first line the card does not show yet."""
    for _ in range(2 * len(CARD_EDITS)):
        text = bot_texts(user._events())[-1]
        seen = len(user._events())
        if (field := _card_question(text)) is not None:
            await user.send(CARD_EDITS[field][2])
        elif CARD in text:
            missing = [f for f, (_, _, value) in CARD_EDITS.items() if value not in text]
            if not missing:
                return
            await user.tap(CARD_EDITS[missing[0]][0])
        else:
            raise AssertionError("\n".join(user.transcript()))
        await answered(user, seen)
    raise AssertionError("\n".join(user.transcript()))


# -- every scenario, every run, at once -----------------------------------------------------

SCENARIOS: dict[str, Scenario] = {
    "projects": _projects_run,
    "faq": _faq_run,
    "directory": _directory_run,
}
JOBS = jobs(SCENARIOS)


async def test_kill_9_in_the_middle_of_the_new_features_loses_and_doubles_nothing(
    sandboxes: list[SandboxProcess], bots: Callable[[str, Lane], BotProcess]
) -> None:
    """Each scenario ``MAILLAGE_CRASH_RUNS`` times, all going at once, a sandbox per run."""
    await run_scenarios(sandboxes, bots, SCENARIOS, JOBS)
