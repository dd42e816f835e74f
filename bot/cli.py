"""The ``maillage`` command: run | sandbox | demo | backup | migrate | purge."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.clock import SystemClock
from bot.config import MAX_RETENTION_MONTHS, ConfigError, Settings, load_settings
from bot.logs import configure_logging
from bot.serving import TRANSPORTS
from bot.transports import Transport


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="maillage", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="serve the network (Telegram or Matrix)")
    run.add_argument(
        "--transport",
        choices=TRANSPORTS,
        default=Transport.TELEGRAM.value,
        help="messenger to serve (matrix: MAILLAGE_MATRIX_* variables)",
    )
    run.add_argument("--webhook-url", help="public HTTPS URL Telegram posts updates to")
    run.add_argument("--listen", default="127.0.0.1", help="webhook: address to listen on")
    run.add_argument("--port", type=int, default=8443, help="webhook: port to listen on")
    run.add_argument("--secret-token", help="webhook: X-Telegram-Bot-Api-Secret-Token value")

    sandbox = commands.add_parser("sandbox", help="run the Bot API sandbox on 127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8081)
    sandbox.add_argument("--token", default=None, help="token the sandbox accepts")
    sandbox.add_argument("--no-rate-limits", action="store_true", help="disable 429 limits")

    demo = commands.add_parser("demo", help="sandbox + bot + seeded network + console chat")
    demo.add_argument("--data", type=Path, default=Path("demo-data"), help="demo folder")
    demo.add_argument("--fresh", action="store_true", help="start from an empty demo network")
    demo.add_argument(
        "--transport",
        choices=TRANSPORTS,
        default=Transport.TELEGRAM.value,
        help="matrix: a local Synapse instead of the console (needs the test extra)",
    )

    backup = commands.add_parser("backup", help="online backup of the SQLite database")
    backup.add_argument("path", type=Path)

    commands.add_parser("migrate", help="bring the database schema up to date")

    purge = commands.add_parser("purge", help="remove personal data past the retention period")
    purge.add_argument("--dry-run", action="store_true", help="show what would go, change nothing")
    purge.add_argument(
        "--months", type=_months, help="retention period (default: MAILLAGE_RETENTION_MONTHS)"
    )
    return parser


def _months(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_RETENTION_MONTHS:
        raise argparse.ArgumentTypeError(
            f"a whole number of months from 1 to {MAX_RETENTION_MONTHS} (got {value!r})"
        )
    return int(value)


async def _backup(settings: Settings, target: Path) -> None:
    from bot.storage.db import Database

    db = await Database.open(settings.db_path)
    try:
        await db.backup_to(target)
    finally:
        await db.close()


async def _migrate(settings: Settings) -> list[str]:
    from bot.storage.db import Database
    from bot.storage.migrations import migrate

    db = await Database.open(settings.db_path)
    try:
        return await migrate(db, SystemClock())
    finally:
        await db.close()


async def _purge(settings: Settings, dry_run: bool, months: int | None) -> list[str]:
    """Preview or run the retention purge on an up-to-date database; the lines to print."""
    from bot.domain.retention import RetentionService
    from bot.storage.db import Database
    from bot.storage.migrations import MIGRATIONS, applied_migrations

    if not settings.db_path.is_file():
        raise ConfigError(f"MAILLAGE_DB: no database at {str(settings.db_path)!r}")
    db = await Database.open(settings.db_path)
    try:
        if not {step.name for step in MIGRATIONS} <= set(await applied_migrations(db)):
            raise ConfigError("MAILLAGE_DB: schema not up to date, run `maillage migrate` first")
        service = RetentionService.on(
            db, SystemClock(), settings.retention_months, settings.timezone
        )
        report = await (service.preview(months) if dry_run else service.purge(months))
    finally:
        await db.close()
    cutoff = report.cutoff.astimezone(settings.timezone)
    width = max(len(name) for name in report.counts)
    return [
        f"retention: {report.months} months, cutoff {cutoff:%Y-%m-%d %H:%M}"
        f" ({settings.timezone.key})",
        *(
            f"  {name:<{width}}  {count:>8}"
            + ("  (unlinked from members)" if report.unlinked(name) else "")
            for name, count in report.counts.items()
        ),
        f"  {'total':<{width}}  {report.total:>8}",
        "dry run: nothing was changed" if dry_run else "purged",
    ]


async def _run(settings: Settings, args: argparse.Namespace) -> None:
    """Serve the transport's gateway (if any), and the bot on it until a signal."""
    from bot.runtime import BotRuntime, run_until_signalled
    from bot.serving import serving
    from bot.webhook import WebhookOptions

    transport = args.transport
    if args.webhook_url and transport != Transport.TELEGRAM:
        raise ConfigError("--webhook-url: Telegram only (the Matrix gateway is local)")
    webhook = (
        WebhookOptions(args.webhook_url, args.listen, args.port, args.secret_token)
        if args.webhook_url
        else None
    )
    async with serving(settings, transport) as served:
        await run_until_signalled(BotRuntime(served.settings, attach=served.attach), webhook)


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "run":
        asyncio.run(_run(settings, args))
    elif args.command == "sandbox":
        from bot.sandbox import DEFAULT_TOKEN, RateLimits, serve

        limits = RateLimits.off() if args.no_rate_limits else RateLimits.telegram()
        token = args.token or DEFAULT_TOKEN

        def announce(line: str) -> None:
            print(f"{line} token={token}", flush=True)

        asyncio.run(serve("127.0.0.1", args.port, token, limits, announce=announce))
    elif args.command == "demo":
        if args.transport == Transport.MATRIX:
            from bot.matrix.demo import run_matrix_demo

            asyncio.run(run_matrix_demo(settings, args.data))
        else:
            from bot.demo import run_demo

            asyncio.run(run_demo(settings, args.data, fresh=args.fresh))
    elif args.command == "backup":
        asyncio.run(_backup(settings, args.path))
        print(f"backup written to {args.path}")
    elif args.command == "migrate":
        applied = asyncio.run(_migrate(settings))
        print("applied: " + (", ".join(applied) if applied else "nothing, already up to date"))
    elif args.command == "purge":
        print("\n".join(asyncio.run(_purge(settings, args.dry_run, args.months))))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``maillage`` console script."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    level = logging.DEBUG if args.verbose else logging.INFO
    if args.command != "demo":
        configure_logging(level, settings.secrets)
    try:
        return _dispatch(args, settings)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
