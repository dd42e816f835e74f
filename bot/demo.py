"""``maillage demo``: the sandbox, the bot and a small seeded network, played from a console."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot.config import Settings
from bot.domain.diagnostic.model import CampaignRequest
from bot.domain.faq.demo import seed_demo_faq
from bot.domain.members import Role
from bot.domain.projects.seed import seed_demo_projects
from bot.logs import configure_logging
from bot.runtime import BotRuntime
from bot.sandbox import DEFAULT_TOKEN, RateLimits, Sandbox
from bot.sandbox.console import Persona, run_console
from bot.seed import Profile, seed_member
from bot.services import Services
from bot.update_processor import FloodLimit
from schedules.diagnostic.jobs import launch_campaign
from schedules.stats.jobs import arm as arm_stats_prompt

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


DEMO_DIRECTORY = """Nom;Structure;Territoire;Fonction;Compétences;Contact
Léa Martin;France Services Nyons;Drôme;Agente France Services;CAF, impôts, ANTS;04 75 00 00 01
;Mairie de Crest;Drôme;;État civil, urbanisme;mairie@crest.example
Paul Roche;MSAP Aubenas;Ardèche;Conseiller numérique;Accompagnement numérique, emploi;
Inès Giraud;CCAS de Privas;Ardèche;Travailleuse sociale;Aides sociales, logement;
;Médiathèque de Tournon;Ardèche;;Ateliers numériques;
Hugo Bonnet;France Services Vienne;Isère;Agent d'accueil;Retraite, santé, CAF;
;Maison de santé de Voiron;Isère;;Santé, prévention;
Anaïs Dupré;France Services Bourg-de-Péage;Drôme;Responsable;Mobilité, énergie;
Émile Faure;Mission locale de Valence;Drôme;Conseiller;Emploi des jeunes;
"""
"""Structure cards an animator imported, beside the cards the registered personas publish."""


async def _seed_directory(services: Services, ids: Mapping[int, int]) -> None:
    """A dozen cards over three territories: imported structures and the personas' own."""
    if await services.directory.all_cards():
        return
    alice, bruno = ids[ALICE], ids[BRUNO]
    token, _ = await services.directory.check_import(alice, "demo.csv", DEMO_DIRECTORY.encode())
    await services.directory.confirm_import(alice, token)
    for user_id in (alice, bruno, ids[DOMINIQUE]):
        member = await services.members.get(user_id)
        if member is not None:
            await services.directory.publish(member)
    await services.directory.set_field(bruno, "skills", "Accueil, CAF, démarches en ligne")
    await services.directory.set_telegram_link(bruno, True)


async def seed_demo(runtime: BotRuntime, ids: Mapping[int, int] | None = None) -> None:
    """The personas, an open diagnosis, the FAQ, the monthly statistics on, two projects.

    ``ids`` gives each persona's id on the messenger served (Matrix: from their Matrix id);
    by default the personas' own (sandbox) ids.
    """
    services, application = runtime.services, runtime.application
    assert services is not None and application is not None
    ids = ids or {persona.user_id: persona.user_id for persona, _, _ in DEMO_NETWORK}
    for persona, profile, role in DEMO_NETWORK:
        user_id = ids[persona.user_id]
        if profile is not None and await services.members.get(user_id) is None:
            await seed_member(services, user_id, profile, persona.language_code, role)
    await _seed_directory(services, ids)
    if not await services.diagnostics.campaigns.recent():
        now = services.clock.now()
        request = CampaignRequest(
            DEMO_QUESTIONNAIRE, now, now + timedelta(days=14), created_by=ids[ALICE]
        )
        await launch_campaign(application, request)
    if await services.stats.schedule_enabled() is None:
        await services.stats.set_schedule(True)
        await arm_stats_prompt(application, services)
    await seed_demo_faq(services.faq)
    await seed_demo_projects(
        services.projects, (ids[BRUNO], ids[DOMINIQUE]), ids[DOMINIQUE], ids[ALICE]
    )


def prepare_demo(data_dir: Path, fresh: bool) -> Path:
    """Create the demo folder (emptying the database if asked); return the database path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    database = data_dir / "demo.db"
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    return database


async def run_demo(settings: Settings, data_dir: Path, fresh: bool = False) -> None:
    """Run everything on 127.0.0.1 until the player types :quit."""
    database = prepare_demo(data_dir, fresh)
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
        await seed_demo(runtime)
        personas = [persona for persona, _, _ in DEMO_NETWORK]
        language = settings.language
        await run_console(sandbox.control_url, personas, data_dir / "files", lang=language)
    finally:
        await runtime.stop()
        await sandbox.stop()
