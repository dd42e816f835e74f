"""``maillage demo``: the sandbox, the bot and a small seeded network, played from a console."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot.config import Settings
from bot.domain.diagnostic.model import CampaignRequest
from bot.domain.members import Role
from bot.domain.projects.seed import seed_demo_projects
from bot.logs import configure_logging
from bot.runtime import BotRuntime
from bot.sandbox import DEFAULT_TOKEN, RateLimits, Sandbox
from bot.sandbox.console import Persona, run_console
from bot.seed import Profile, seed_member
from bot.update_processor import FloodLimit
from schedules.diagnostic.jobs import launch_campaign

ALICE, BRUNO, CHLOE, EMMA, DOMINIQUE = 7001, 7002, 7003, 7004, 7005
DEMO_NETWORK_NAME = "France Services Drôme-Ardèche (démo)"
DEMO_QUESTIONNAIRE = "network_diagnosis"

# (persona, profile if already registered, role)
DEMO_NETWORK: tuple[tuple[Persona, Profile | None, Role | None], ...] = (
    (
        Persona(ALICE, "Alice", "fr", "animatrice"),
        Profile("Alice Martin", "Préfecture de la Drôme", "Drôme", "Animatrice du réseau"),
        Role.ANIMATOR,
    ),
    (
        Persona(BRUNO, "Bruno", "fr", "membre"),
        Profile("Bruno Lefèvre", "France Services de Die", "Die", "Agent d'accueil"),
        None,
    ),
    (
        Persona(DOMINIQUE, "Dominique", "fr", "facilitateur"),
        Profile("Dominique Roux", "DDT de l'Ardèche", "Ardèche", "Chef de projet"),
        Role.FACILITATOR,
    ),
    (Persona(CHLOE, "Chloé", "fr", "nouvelle venue"), None, None),
    (Persona(EMMA, "Emma", "en", "newcomer"), None, None),
)


async def _seed(runtime: BotRuntime) -> None:
    """The registered personas, an open network diagnosis, and two projects at two steps."""
    services, application = runtime.services, runtime.application
    assert services is not None and application is not None
    for persona, profile, role in DEMO_NETWORK:
        if profile is not None and await services.members.get(persona.user_id) is None:
            await seed_member(services, persona.user_id, profile, persona.language_code, role)
    if not await services.diagnostics.campaigns.recent():
        now = services.clock.now()
        request = CampaignRequest(
            DEMO_QUESTIONNAIRE, now, now + timedelta(days=14), created_by=ALICE
        )
        await launch_campaign(application, request)
    await seed_demo_projects(services.projects, (BRUNO, DOMINIQUE), DOMINIQUE, ALICE)


def _prepare(data_dir: Path, fresh: bool) -> Path:
    """Create the demo folder (emptying the database if asked); return the database path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    database = data_dir / "demo.db"
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    return database


async def run_demo(settings: Settings, data_dir: Path, fresh: bool = False) -> None:
    """Run everything on 127.0.0.1 until the player types :quit."""
    database = _prepare(data_dir, fresh)
    configure_logging(logging.WARNING, [DEFAULT_TOKEN])
    sandbox = Sandbox(token=DEFAULT_TOKEN, rate_limits=RateLimits.telegram())
    await sandbox.start()
    for persona, profile, _ in DEMO_NETWORK:
        sandbox.add_user(
            user_id=persona.user_id,
            first_name=persona.name,
            language_code=persona.language_code,
            started=profile is not None,  # registered members have opened the chat before
        )
    demo_settings = replace(
        settings,
        bot_token=DEFAULT_TOKEN,
        api_url=sandbox.api_url,
        db_path=database,
        network_name=DEMO_NETWORK_NAME
        if settings.network_name == "Mon réseau"
        else settings.network_name,
    )
    # The console may be fed a script (tests/e2e/test_processes.py), faster than anyone types.
    runtime = BotRuntime(demo_settings, poll_timeout=2, flood=FloodLimit.off())
    try:
        await runtime.start()
        await _seed(runtime)
        personas = [persona for persona, _, _ in DEMO_NETWORK]
        language = settings.language
        await run_console(sandbox.control_url, personas, data_dir / "files", lang=language)
    finally:
        await runtime.stop()
        await sandbox.stop()
